import { useQueries } from '@tanstack/react-query';

import { api, unwrap, type Schemas } from '../../../lib/api-client';

export type SeatMap = Schemas['SeatMapView'];

/**
 * `GET /flights/{id}/seats`: the seat map as the flight's owner has it now (asked of it when
 * it is another airline); 503 `airline_unavailable` when that airline is offline.
 */
export async function getSeatMap(flight: string): Promise<SeatMap> {
  return unwrap(api.GET('/api/v1/flights/{id}/seats', { params: { path: { id: flight } } }));
}

export const seatMapKey = (flight: string) => ['seat-map', flight] as const;

/** The seat maps of a trip's flights, in order; always asked again when shown. */
export function useSeatMaps(flights: readonly string[]) {
  return useQueries({
    queries: flights.map((flight) => ({
      queryKey: seatMapKey(flight),
      queryFn: () => getSeatMap(flight),
      staleTime: 0,
      retry: false,
    })),
  });
}
