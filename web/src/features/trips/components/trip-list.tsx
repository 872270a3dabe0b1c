import { Link } from 'react-router';

import { useAirlines } from '../../../api/get-airlines';
import { ErrorMessage } from '../../../components/ui/error-message';
import { Loading } from '../../../components/ui/loading';
import { formatDate, formatMoney, localTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { useBookings } from '../api/get-bookings';
import { failureReason } from '../failure';
import { bookedFlights } from '../segments';
import { StatusBadge } from './status-badge';

type Props = {
  /** The page of one booking. */
  tripHref: (reference: string) => string;
  searchHref: string;
};

/**
 * The customer's bookings, newest first, with more on demand. A pending one (no flights yet)
 * says it awaits the airlines and is read again until decided; a failed one says why.
 */
export function TripList({ tripHref, searchHref }: Props) {
  const { t, locale } = useI18n();
  const bookings = useBookings();
  const airlines = useAirlines();
  const airlineName = (id: string) => airlines.data?.byId.get(id)?.name ?? id;
  if (bookings.isPending) return <Loading />;
  if (bookings.isError) return <ErrorMessage error={bookings.error} onRetry={() => void bookings.refetch()} />;
  const all = bookings.data.pages.flatMap((page) => page.bookings);
  if (all.length === 0) {
    return (
      <div className="card empty">
        <p>{t('trips.empty')}</p>
        <Link className="button button--primary" to={searchHref}>
          {t('trips.searchNow')}
        </Link>
      </div>
    );
  }
  return (
    <>
      <ul className="trip-list">
        {all.map((booking) => {
          const flights = bookedFlights(booking);
          const first = flights[0];
          const last = flights[flights.length - 1];
          return (
            <li key={booking.reference} className="card trip" data-reference={booking.reference}>
              <div className="trip__head">
                <Link to={tripHref(booking.reference)} className="trip__reference">
                  <span className="visually-hidden">{t('trips.reference')} </span>
                  {booking.reference}
                </Link>
                <StatusBadge status={booking.status} />
              </div>
              {first && last ? (
                <p className="trip__route">
                  <strong>
                    {first.origin} → {last.destination}
                  </strong>{' '}
                  · {formatDate(first.departure, locale)} · {localTime(first.departure)}
                </p>
              ) : null}
              {booking.status === 'pending' ? <p className="trip__note">{t('trips.pendingShort')}</p> : null}
              {booking.status === 'failed' ? <p className="trip__note trip__note--failed">{failureReason(booking, t, airlineName)}</p> : null}
              <p className="muted">
                {[
                  t('trips.passengers', { count: booking.passengers.length }),
                  ...(flights.length > 0 ? [flights.map((f) => f.number).join(', ')] : []),
                  booking.status === 'failed' ? t('purchase.nothingCharged') : formatMoney(booking.total_price, locale),
                ].join(' · ')}
              </p>
            </li>
          );
        })}
      </ul>
      {bookings.hasNextPage ? (
        <button
          type="button"
          className="button"
          onClick={() => void bookings.fetchNextPage()}
          disabled={bookings.isFetchingNextPage}
        >
          {bookings.isFetchingNextPage ? t('app.loading') : t('trips.more')}
        </button>
      ) : null}
    </>
  );
}
