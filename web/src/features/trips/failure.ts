import type { Booking } from '../../api/get-booking';
import type { Translate } from '../../lib/i18n';
import { isPurchaseFailureCode, purchaseFailureReason } from '../../lib/purchase-failure';
import { flightNumberOf } from './segments';

/**
 * Why a failed booking's purchase bought nothing, in the customer's words, naming the flight or
 * airline concerned when the booking's `failure` does (`airlineName` gives an airline's name).
 */
export function failureReason(booking: Booking, t: Translate, airlineName: (id: string) => string = (id) => id): string {
  const failure = booking.failure;
  if (!failure) return t('trips.failedBanner');
  if (!isPurchaseFailureCode(failure.code)) return failure.message;
  const names = {
    flight: failure.flight ? flightNumberOf(failure.flight) : undefined,
    airline: failure.airline ? airlineName(failure.airline) : undefined,
    begun: true,
  };
  return purchaseFailureReason(failure.code, names, t);
}
