import { useMutation, useQueryClient } from '@tanstack/react-query';

import { getBooking } from '../../../api/get-booking';
import { env } from '../../../config/env';
import { api, toApiError, ApiError, type Schemas } from '../../../lib/api-client';
import { bookingKeys, itineraryKeys } from '../../../lib/query-keys';

export type BookingRequest = Schemas['BookingBody'];
export type Booking = Schemas['BookingView'];

/**
 * What a purchase came to: confirmed, or still `pending` (202, or followed for
 * `env.pendingFollowMs` without an outcome: its booking's page goes on following it).
 */
export type Purchase = { booking: Booking; pending: boolean };

/**
 * `POST /bookings`: buys every seat of the trip or none. 201 confirmed; 202 pending (the
 * airlines are still deciding: read the booking until it is confirmed or failed). A purchase
 * refused as a whole answers an error naming why: `seat_unavailable` (naming the flight),
 * `flight_cancelled`, `flight_departed`, `flight_not_found`, `airline_unavailable` (naming the
 * airline) or `purchase_interrupted` — with the `reference` of the failed booking when the
 * purchase had begun at other airlines, without it when it was refused before (503
 * `airline_unavailable`: an owner known to be offline).
 *
 * The `Idempotency-Key` makes a retry of the same request answer the same, never buy twice.
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

/**
 * A failed booking's failure as the error its purchase would have been answered with at once,
 * naming the flight or airline as that answer would. The node answers that error with its
 * cause's status (409, 404 or 503); the app reads only the code, so 409 stands for all of them.
 */
export function purchaseFailure(booking: Booking): ApiError {
  const failure = booking.failure ?? { code: 'purchase_failed', message: 'the purchase failed' };
  const named = { flight: failure.flight ?? undefined, airline: failure.airline ?? undefined };
  return new ApiError(409, failure.code, failure.message, { ...named, reference: booking.reference });
}

/**
 * Whether a failed purchase is known to have bought nothing, so that trying again is a new
 * purchase with a new key (the old key would only replay the refusal). Only a purchase whose
 * answer never came — the network, a timeout, a server error — is unknown: its retry keeps the
 * key, and so cannot buy twice.
 */
export function boughtNothing(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.detail('reference') !== undefined) return true; // the booking records the failure
  if (error.status >= 400 && error.status < 500) return true;
  return error.code === 'airline_unavailable' || error.code === 'purchase_interrupted';
}

type Follow = {
  /** Told when the purchase is pending: the airlines have not decided yet. */
  onPending?: (booking: Booking) => void;
  /** Stops following (the page was left); the booking goes on without the page. */
  signal?: AbortSignal;
};

/**
 * Buys a trip and, if the airlines have not decided when the node answers (202), reads the
 * booking every `env.pendingPollMs` until they do: confirmed resolves; failed throws the
 * failure (`purchaseFailure`). A read that fails is tried again at the next tick. Still pending
 * after `env.pendingFollowMs` resolves as pending.
 */
export async function buyTrip(request: BookingRequest, key: string, { onPending, signal }: Follow = {}): Promise<Purchase> {
  const answer = await createBooking(request, key);
  if (!answer.pending) return answer;
  onPending?.(answer.booking);
  const deadline = Date.now() + env.pendingFollowMs;
  let booking = answer.booking;
  while (booking.status === 'pending' && Date.now() < deadline) {
    await pause(env.pendingPollMs, signal);
    booking = await getBooking(booking.reference).catch(() => booking);
  }
  if (booking.status === 'failed') throw purchaseFailure(booking);
  return { booking, pending: booking.status === 'pending' };
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  const left = () => new DOMException('the page was left', 'AbortError');
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(left());
      return;
    }
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(left());
      },
      { once: true },
    );
  });
}

/** A new idempotency key: 128 random bits (works where `crypto.randomUUID` does not: plain HTTP). */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

type Variables = { request: BookingRequest; key: string } & Follow;

/**
 * The purchase, followed until decided. Every booking it learns of goes into the cache My trips
 * reads: the pending one at once, the decided one when known, and the list is read again. When
 * it ends, however it ends, the cached search results are dropped: they are known to be out of
 * date (seats sold, an airline found offline), and shown again while asked again they would
 * offer, for a moment, a trip that cannot be bought.
 */
export function useCreateBooking() {
  const queryClient = useQueryClient();
  const remember = (booking: Booking) => queryClient.setQueryData(bookingKeys.one(booking.reference), booking);
  return useMutation({
    mutationFn: ({ request, key, onPending, signal }: Variables) =>
      buyTrip(request, key, {
        signal,
        onPending: (booking) => {
          remember(booking);
          onPending?.(booking);
        },
      }),
    onSuccess: ({ booking }) => remember(booking),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: bookingKeys.list() });
      queryClient.removeQueries({ queryKey: itineraryKeys.all });
    },
  });
}
