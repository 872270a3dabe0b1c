import { queryOptions, useQuery } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../lib/api-client';

export type Airline = Schemas['AirlineView'];

/** `GET /airlines`: the airlines this node knows, each online or offline. */
export async function getAirlines(): Promise<Airline[]> {
  const body = await unwrap(api.GET('/api/v1/airlines'));
  return body.airlines;
}

export const airlinesQuery = queryOptions({
  queryKey: ['airlines'],
  queryFn: getAirlines,
  staleTime: 10_000,
});

/** The airlines, with a lookup by id. */
export function useAirlines(options: { refetchInterval?: number } = {}) {
  return useQuery({
    ...airlinesQuery,
    ...options,
    select: (airlines) => ({ list: airlines, byId: new Map(airlines.map((a) => [a.id, a])) }),
  });
}
