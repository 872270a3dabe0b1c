import { useQuery } from '@tanstack/react-query';

import { env } from '../config/env';
import { api, unwrap, type Schemas } from '../lib/api-client';
import { bookingKeys } from '../lib/query-keys';

export type Booking = Schemas['BookingView'];

/**
 * `GET /bookings/{reference}`: one of the customer's bookings (anyone else's: 404). Read by My
 * trips, and by a purchase following its booking while the airlines decide.
 */
export async function getBooking(reference: string): Promise<Booking> {
  return unwrap(api.GET('/api/v1/bookings/{reference}', { params: { path: { reference } } }));
}

/** A booking; while it is `pending`, read again every second until it is `confirmed` or `failed`. */
export function useBooking(reference: string) {
  return useQuery({
    queryKey: bookingKeys.one(reference),
    queryFn: () => getBooking(reference),
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? env.pendingPollMs : false),
    staleTime: 0,
  });
}
