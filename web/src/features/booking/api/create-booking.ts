import { useMutation, useQueryClient } from '@tanstack/react-query';

import { api, toApiError, ApiError, type Schemas } from '../../../lib/api-client';
import { bookingKeys } from '../../../lib/query-keys';

export type BookingRequest = Schemas['BookingBody'];
export type Booking = Schemas['BookingView'];

/** What a purchase came to: confirmed (201), or not known yet (202 `pending`). */
export type Purchase = { booking: Booking; pending: boolean };

/**
 * `POST /bookings`: buys every seat of the trip or none. 201 confirmed; 202 pending (the
 * airlines are still deciding: read the booking until it is confirmed or cancelled); 409
 * `seat_unavailable` naming the flight; 503 `airline_unavailable` naming the airline.
 *
 * The `Idempotency-Key` makes a retry of the same request return the same booking.
 */
export async function createBooking(request: BookingRequest, idempotencyKey: string): Promise<Purchase> {
  let result;
  try {
    result = await api.POST('/api/v1/bookings', {
      body: request,
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  } catch (cause) {
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
  const { data, error, response } = result;
  if (!response.ok || !data) throw toApiError(response.status, error);
  return { booking: data, pending: response.status === 202 || data.status === 'pending' };
}

/** A new idempotency key: 128 random bits (works where `crypto.randomUUID` does not: plain HTTP). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function useCreateBooking() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ request, key }: { request: BookingRequest; key: string }) => createBooking(request, key),
    onSuccess: ({ booking }) => {
      queryClient.setQueryData(bookingKeys.one(booking.reference), booking);
      void queryClient.invalidateQueries({ queryKey: bookingKeys.list() });
    },
  });
}
