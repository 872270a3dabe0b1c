import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../../lib/api-client';
import { bookingKeys } from '../../../lib/query-keys';
import type { Booking } from '../../../api/get-booking';

/**
 * `POST /bookings/{reference}/cancel`: releases every seat at every airline; 409
 * `flight_departed` once a flight of it has left. Cancelling again changes nothing.
 */
export async function cancelBooking(reference: string): Promise<Booking> {
  return unwrap(api.POST('/api/v1/bookings/{reference}/cancel', { params: { path: { reference } } }));
}

export function useCancelBooking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelBooking,
    onSuccess: (booking) => {
      queryClient.setQueryData(bookingKeys.one(booking.reference), booking);
      void queryClient.invalidateQueries({ queryKey: bookingKeys.list() });
    },
  });
}
