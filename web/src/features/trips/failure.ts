import type { Booking } from '../../api/get-booking';
import type { Translate } from '../../lib/i18n';
import { isPurchaseFailureCode, purchaseFailureReason } from '../../lib/purchase-failure';

/** Why a failed booking's purchase bought nothing, in the customer's words. */
export function failureReason(booking: Booking, t: Translate): string {
  const failure = booking.failure;
  if (!failure) return t('trips.failedBanner');
  // A failed booking keeps only the code: the flight or airline is not named.
  return isPurchaseFailureCode(failure.code) ? purchaseFailureReason(failure.code, { begun: true }, t) : failure.message;
}
