import { useQueries } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';

export type Flight = Schemas['FlightView'];

/** `GET /flights/{id}`: one flight as this node knows it (own or replicated). */
export async function getFlight(id: string): Promise<Flight> {
  return unwrap(api.GET('/api/v1/flights/{id}', { params: { path: { id } } }));
}

/** The flights of a trip, in order. */
export function useFlights(ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({ queryKey: ['flight', id], queryFn: () => getFlight(id), staleTime: 30_000 })),
  });
}
