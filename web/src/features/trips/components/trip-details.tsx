import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';

import { useAirlines } from '../../../api/get-airlines';
import { useBooking } from '../../../api/get-booking';
import { TripMap } from '../../../components/map/trip-map';
import { AirlineBadge } from '../../../components/ui/airline-badge';
import { describeError, ErrorMessage } from '../../../components/ui/error-message';
import { Loading } from '../../../components/ui/loading';
import { LocalTime } from '../../../components/ui/local-time';
import { Notice } from '../../../components/ui/notice';
import { ApiError } from '../../../lib/api-client';
import { daysBetween, formatDate, formatInstant, formatMoney } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { useCancelBooking } from '../api/cancel-booking';
import { failureReason } from '../failure';
import { bookedFlights } from '../segments';
import { StatusBadge } from './status-badge';

type Props = {
  reference: string;
  /** The customer arrives from buying it: say how the purchase went. */
  justBooked?: boolean;
  /** Where "search for another trip" goes, offered when the purchase failed. */
  searchHref?: string;
};

/**
 * One booking: its flights, seats and tickets, its history, and cancelling it. A pending one
 * is read again until the airlines decide; a failed one says why nothing was bought. Only a
 * confirmed booking can be cancelled.
 */
export function TripDetails({ reference, justBooked = false, searchHref }: Props) {
  const { t, locale } = useI18n();
  const booking = useBooking(reference);
  const airlines = useAirlines();
  const cancel = useCancelBooking();
  const [confirming, setConfirming] = useState(false);
  const [wasPending, setWasPending] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const status = booking.data?.status;
  if (status === 'pending' && !wasPending) setWasPending(true);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);

  if (booking.isPending) return <Loading />;
  if (booking.isError) {
    if (booking.error instanceof ApiError && booking.error.status === 404) {
      return <Notice tone="error">{t('trips.notFound')}</Notice>;
    }
    return <ErrorMessage error={booking.error} onRetry={() => void booking.refetch()} />;
  }

  const view = booking.data;
  const bought = view.status !== 'pending' && view.status !== 'failed';
  const flights = bookedFlights(view);
  const start = flights[0]?.departure ?? view.created_at;
  const airline = (id: string) => airlines.data?.byId.get(id) ?? { id, name: id };
  const events = ['confirmed', 'cancelled', 'pending', 'purchase_failed', 'seats_released', 'flight_cancelled'] as const;
  const eventName = (event: string) => {
    const known = events.find((e) => e === event);
    return known ? t(`trips.event.${known}`) : event;
  };
  const cancelProblem =
    cancel.error instanceof ApiError && cancel.error.code === 'flight_departed'
      ? t('trips.cancelDeparted')
      : cancel.error
        ? t('trips.cancelFailed', { message: describeError(cancel.error, t) })
        : null;

  return (
    <article className="trip-details" aria-labelledby="trip-title">
      {view.status === 'pending' ? (
        <div className="progress notice notice--info" role="status">
          <span className="spinner" aria-hidden="true" />
          <p>{t('trips.pendingBanner')}</p>
        </div>
      ) : null}
      {(justBooked || wasPending) && view.status === 'confirmed' ? (
        <Notice tone="success">{t('trips.confirmedBanner', { reference: view.reference })}</Notice>
      ) : null}
      {view.status === 'failed' ? (
        <div className="notice notice--error" role="alert">
          <p className="purchase-problem__title">{t('trips.failedBanner')}</p>
          <p>{failureReason(view, t, (id) => airline(id).name)}</p>
          <p>{t('purchase.nothingCharged')}</p>
          {searchHref ? (
            <Link className="button button--small" to={searchHref}>
              {t('purchase.searchAgain')}
            </Link>
          ) : null}
        </div>
      ) : null}
      {cancel.isSuccess ? <Notice tone="success">{t('trips.cancelled')}</Notice> : null}

      <header className="trip-details__head">
        <h1 id="trip-title">
          {t('trips.bookingTitle', { reference: '' })}
          <span className="reference">{view.reference}</span>
        </h1>
        <StatusBadge status={view.status} />
      </header>
      <p className="muted">
        {[
          // A purchase not (yet) made has no flights to date the trip by.
          ...(flights.length > 0 ? [formatDate(start, locale)] : []),
          t('trips.passengers', { count: view.passengers.length }),
          t(bought ? 'trips.bookedAt' : 'trips.startedAt', { at: formatInstant(view.created_at, locale) }),
        ].join(' · ')}
      </p>

      {view.status === 'failed' ? null : (
        <div className="trip-details__body">
          <section aria-labelledby="trip-segments" className="trip-details__segments">
            <h2 id="trip-segments">{t('trips.segments')}</h2>
            {view.status === 'pending' ? <p className="muted">{t('trips.pendingSegments')}</p> : null}
            {flights.map((flight) => (
              <section key={flight.flight} className="card booked-flight" aria-label={`${flight.number} ${flight.origin} → ${flight.destination}`}>
                <h3 className="booked-flight__head">
                  <AirlineBadge airline={airline(flight.airline)} />
                  <span>{flight.number}</span>
                  <span className="leg__route">
                    <LocalTime at={flight.departure} dayOffset={daysBetween(start, flight.departure)} /> {flight.origin}
                    <span aria-hidden="true"> → </span>
                    <span className="visually-hidden"> – </span>
                    <LocalTime at={flight.arrival} dayOffset={daysBetween(start, flight.arrival)} /> {flight.destination}
                  </span>
                </h3>
                <div className="table-scroll">
                  <table className="segments">
                    <thead>
                      <tr>
                        <th scope="col">{t('trips.passenger')}</th>
                        <th scope="col">{t('trips.seat')}</th>
                        <th scope="col">{t('trips.ticket')}</th>
                        <th scope="col">{t('trips.segmentStatus')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {flight.segments.map((segment) => (
                        <tr key={segment.ticket_number}>
                          <td>{segment.passenger}</td>
                          <td className="seat-number">{segment.seat}</td>
                          <td className="ticket-number">{segment.ticket_number}</td>
                          <td>
                            <StatusBadge status={segment.status} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </section>
            ))}
            <p className="trip-details__total">
              {view.status === 'pending' ? t('book.total') : t('trips.total')}: <strong>{formatMoney(view.total_price, locale)}</strong>
            </p>
          </section>
          {flights.length > 0 ? (
            <aside className="trip-details__map card">
              <TripMap legs={flights.map((f) => ({ origin: f.origin, destination: f.destination, airline: f.airline, flight: f.number }))} />
            </aside>
          ) : null}
        </div>
      )}

      <section aria-labelledby="trip-history" className="card">
        <h2 id="trip-history">{t('trips.history')}</h2>
        <ol className="history">
          {view.history.map((entry, index) => (
            <li key={index}>
              <time dateTime={entry.at}>{formatInstant(entry.at, locale)}</time> <strong>{eventName(entry.event)}</strong> — {entry.detail}
            </li>
          ))}
        </ol>
      </section>

      {view.status === 'confirmed' ? (
        <section className="trip-details__cancel" aria-label={t('trips.cancel')}>
          {cancelProblem ? <Notice tone="error">{cancelProblem}</Notice> : null}
          {confirming ? (
            <div className="confirm card" role="group" aria-labelledby="cancel-question">
              <p id="cancel-question">{t('trips.cancelConfirm', { reference: view.reference })}</p>
              <div className="confirm__actions">
                <button
                  ref={confirmRef}
                  type="button"
                  className="button button--danger"
                  disabled={cancel.isPending}
                  onClick={() => cancel.mutate(view.reference, { onSettled: () => setConfirming(false) })}
                >
                  {cancel.isPending ? t('trips.cancelling') : t('trips.cancelYes')}
                </button>
                <button type="button" className="button" onClick={() => setConfirming(false)} disabled={cancel.isPending}>
                  {t('trips.cancelNo')}
                </button>
              </div>
            </div>
          ) : (
            <button type="button" className="button button--danger-outline" onClick={() => setConfirming(true)}>
              {t('trips.cancel')}
            </button>
          )}
        </section>
      ) : null}
    </article>
  );
}
