import { Link, useNavigate, useSearchParams } from 'react-router';

import { Notice } from '../../components/ui/notice';
import { paths } from '../../config/paths';
import { useMe } from '../../features/auth/api/get-me';
import { Checkout } from '../../features/booking/components/checkout';
import { useI18n } from '../../lib/i18n';

const PASSENGERS_MAX = 9;
const FLIGHTS_MAX = 8;

export function BookRoute() {
  const { t } = useI18n();
  const [query] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const flights = (query.get('flights') ?? '').split(',').filter(Boolean);
  const passengers = Number(query.get('passengers') ?? '1');
  const back = query.get('back') ?? '';
  const results = `${paths.search}${back.startsWith('?') ? back : ''}`;
  const valid =
    flights.length > 0 && flights.length <= FLIGHTS_MAX && Number.isInteger(passengers) && passengers >= 1 && passengers <= PASSENGERS_MAX;

  return (
    <div className="page">
      <p>
        <Link to={results}>← {t('book.backToSearch')}</Link>
      </p>
      <h1>{t('book.title')}</h1>
      {!valid ? (
        <Notice tone="error">{t('book.invalidTrip')}</Notice>
      ) : me.isPending ? null : (
        <Checkout
          key={flights.join(',')}
          flightIds={flights}
          passengers={passengers}
          defaultName={me.data?.name}
          searchHref={results}
          onBooked={({ booking }) => void navigate(paths.trip(booking.reference), { state: { justBooked: true } })}
        />
      )}
    </div>
  );
}
