import { Link, useLocation, useParams } from 'react-router';

import { paths } from '../../config/paths';
import { TripDetails } from '../../features/trips/components/trip-details';
import { TripList } from '../../features/trips/components/trip-list';
import { useI18n } from '../../lib/i18n';

export function TripsRoute() {
  const { t } = useI18n();
  return (
    <div className="page">
      <h1>{t('trips.title')}</h1>
      <TripList tripHref={paths.trip} searchHref={paths.search} />
    </div>
  );
}

export function TripRoute() {
  const { t } = useI18n();
  const { reference = '' } = useParams();
  const location = useLocation();
  const justBooked = (location.state as { justBooked?: boolean } | null)?.justBooked === true;
  return (
    <div className="page">
      <p>
        <Link to={paths.trips}>← {t('trips.back')}</Link>
      </p>
      <TripDetails key={reference} reference={reference.toUpperCase()} justBooked={justBooked} searchHref={paths.search} />
    </div>
  );
}
