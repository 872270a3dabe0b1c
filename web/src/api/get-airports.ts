import { queryOptions, useQuery } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../lib/api-client';

export type Airport = Schemas['AirportView'];

/** `GET /airports`: the 27 capitals, with coordinates and time zones. */
export async function getAirports(): Promise<Airport[]> {
  const body = await unwrap(api.GET('/api/v1/airports'));
  return body.airports;
}

export const airportsQuery = queryOptions({
  queryKey: ['airports'],
  queryFn: getAirports,
  // Airports change with a new release of the network, not while a page is open.
  staleTime: Infinity,
});

export function useAirports() {
  return useQuery(airportsQuery);
}
