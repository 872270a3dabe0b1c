/**
 * Why a purchase bought nothing, in words a customer understands. The checkout says it when a
 * purchase is refused, and My trips says it of a booking whose purchase failed. Both read the
 * API's stable code; the flight or airline it names is given when the answer carried it (an
 * error answer does, and so does a failed booking's `failure`).
 */
import type { Translate } from './i18n';

/** The codes a purchase that failed as a whole is answered with (and a failed booking keeps). */
export const purchaseFailureCodes = [
  'seat_unavailable',
  'flight_cancelled',
  'flight_departed',
  'flight_not_found',
  'airline_unavailable',
  'purchase_interrupted',
] as const;

export type PurchaseFailureCode = (typeof purchaseFailureCodes)[number];

export function isPurchaseFailureCode(code: string): code is PurchaseFailureCode {
  return purchaseFailureCodes.some((known) => known === code);
}

export type FailureNames = {
  /** The flight's number (`BO1001`), when the answer named it. */
  flight?: string;
  /** The airline's name (`Boreal`), when the answer named it. */
  airline?: string;
  /** Whether the customer chose the seats (else the airlines were to choose them). */
  seatsChosen?: boolean;
  /** Whether the purchase had begun at the airlines (a booking records it) or was refused before. */
  begun?: boolean;
};

/** One sentence saying why nothing was bought. */
export function purchaseFailureReason(code: PurchaseFailureCode, names: FailureNames, t: Translate): string {
  const { flight, airline } = names;
  switch (code) {
    case 'seat_unavailable':
      if (!flight) return t('purchase.seatTakenSomewhere');
      return names.seatsChosen === false ? t('purchase.soldOut', { flight }) : t('book.seatTakenMeanwhile', { flight });
    case 'flight_cancelled':
      return flight ? t('book.flightCancelled', { flight }) : t('purchase.aFlightCancelled');
    case 'flight_departed':
      return flight ? t('book.flightDeparted', { flight }) : t('purchase.aFlightDeparted');
    case 'flight_not_found':
      return flight ? t('purchase.flightNotFound', { flight }) : t('book.flightNotFound');
    case 'airline_unavailable':
      if (!airline) return t('purchase.anAirlineUnavailable');
      return names.begun ? t('purchase.airlineStopped', { airline }) : t('book.airlineOffline', { airline });
    case 'purchase_interrupted':
      return t('purchase.interrupted');
  }
}

/** What the customer can do about it: choose other seats, try again later, or search again. */
export function purchaseFailureRemedy(code: PurchaseFailureCode): 'seats' | 'later' | 'search' {
  switch (code) {
    case 'seat_unavailable':
      return 'seats';
    case 'airline_unavailable':
    case 'purchase_interrupted':
      return 'later';
    default:
      return 'search';
  }
}
