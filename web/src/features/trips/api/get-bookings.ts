import { useInfiniteQuery } from '@tanstack/react-query';

import { env } from '../../../config/env';
import { api, unwrap, type Schemas } from '../../../lib/api-client';
import { bookingKeys } from '../../../lib/query-keys';

export type Booking = Schemas['BookingView'];
export type BookingPage = Schemas['BookingList'];

/** `GET /bookings`: the customer's bookings, newest first, a page at a time. */
export async function getBookings(cursor: string | null, limit = env.tripsPageSize): Promise<BookingPage> {
  return unwrap(
    api.GET('/api/v1/bookings', { params: { query: { limit, ...(cursor ? { cursor } : {}) } } }),
  );
}

export function useBookings() {
  return useInfiniteQuery({
    queryKey: bookingKeys.list(),
    queryFn: ({ pageParam }) => getBookings(pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next_cursor ?? null,
    // A purchase still pending shows how it ends without a reload.
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.bookings.some((booking) => booking.status === 'pending')) ? env.pendingPollMs : false,
    staleTime: 0,
  });
}
