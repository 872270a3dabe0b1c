import { Link } from 'react-router';

import type { Airline } from '../../../api/get-airlines';
import { AirlineBadge } from '../../../components/ui/airline-badge';
import { LocalTime } from '../../../components/ui/local-time';
import { daysBetween, formatDuration, formatList, formatMoney, localTime } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import type { Itinerary } from '../api/get-itineraries';

type Props = {
  itinerary: Itinerary;
  passengers: number;
  airlines: ReadonlyMap<string, Airline>;
  /** Where "Choose" leads (the booking page), for a bookable trip. */
  chooseHref: string;
  onMap: boolean;
  onShowOnMap?: () => void;
};

const HIGHLIGHTS = ['fastest', 'cheapest', 'fewest_stops'] as const;

export function ItineraryCard({ itinerary, passengers, airlines, chooseHref, onMap, onShowOnMap }: Props) {
  const { t, locale } = useI18n();
  const legs = itinerary.legs;
  const first = legs[0];
  const last = legs[legs.length - 1];
  if (!first || !last) return null;
  const price = formatMoney(itinerary.price, locale);
  const stopsText =
    itinerary.stops === 0 ? t('search.nonstop') : t('search.stops', { count: itinerary.stops });
  const via = legs.slice(1).map((leg) => leg.origin);
  const airline = (id: string) => airlines.get(id) ?? { id, name: id };
  const offline = formatList(
    itinerary.offline_airlines.map((id) => airline(id).name ?? id),
    locale,
  );
  const highlights = HIGHLIGHTS.filter((h) => itinerary.highlights.includes(h));
  const tripDate = itinerary.departure;

  return (
    <article
      className={`itinerary card${itinerary.bookable ? '' : ' itinerary--unavailable'}${onMap ? ' itinerary--on-map' : ''}`}
      aria-label={`${first.origin} → ${last.destination}, ${localTime(itinerary.departure)}–${localTime(itinerary.arrival)}, ${price}`}
      data-legs={legs.map((leg) => `${leg.origin}-${leg.destination}`).join(' ')}
    >
      {highlights.length > 0 ? (
        <ul className="itinerary__highlights" aria-label={t('search.highlights')}>
          {highlights.map((highlight) => (
            <li key={highlight} className={`highlight highlight--${highlight}`}>
              {t(`search.highlight.${highlight}`)}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="itinerary__summary">
        <div className="itinerary__times">
          <div className="itinerary__end">
            <span className="itinerary__time">
              <LocalTime at={itinerary.departure} />
            </span>
            <span className="itinerary__airport">{first.origin}</span>
          </div>
          <div className="itinerary__middle">
            <span className="itinerary__duration">{formatDuration(itinerary.duration_minutes, locale)}</span>
            <span className="itinerary__line" aria-hidden="true" />
            <span className="itinerary__stops">
              {stopsText}
              {via.length > 0 ? ` · ${t('search.via', { airports: via.join(', ') })}` : ''}
            </span>
          </div>
          <div className="itinerary__end">
            <span className="itinerary__time">
              <LocalTime at={itinerary.arrival} dayOffset={itinerary.arrival_day_offset} />
            </span>
            <span className="itinerary__airport">{last.destination}</span>
          </div>
        </div>
        <div className="itinerary__price">
          <span className="itinerary__amount">{price}</span>
          <span className="muted">{t('search.perPassengers', { count: passengers })}</span>
        </div>
      </div>
      <ol className="itinerary__legs" aria-label={t('search.details')}>
        {legs.map((leg) => (
          <li key={leg.id} className="leg">
            <AirlineBadge airline={airline(leg.airline)} />
            <span className="leg__number">{leg.flight_number}</span>
            <span className="leg__route">
              <LocalTime at={leg.departure} dayOffset={daysBetween(tripDate, leg.departure)} /> {leg.origin}
              <span aria-hidden="true"> → </span>
              <span className="visually-hidden"> – </span>
              <LocalTime at={leg.arrival} dayOffset={daysBetween(tripDate, leg.arrival)} /> {leg.destination}
            </span>
            <span className="leg__duration muted">{formatDuration(leg.duration_minutes, locale)}</span>
          </li>
        ))}
      </ol>
      <div className="itinerary__actions">
        {onShowOnMap ? (
          <button type="button" className="button button--ghost button--small" onClick={onShowOnMap} aria-pressed={onMap}>
            {onMap ? t('search.shownOnMap') : t('search.showOnMap')}
          </button>
        ) : null}
        {itinerary.bookable ? (
          <Link
            className="button button--primary"
            to={chooseHref}
            aria-label={t('search.chooseLabel', {
              departure: localTime(itinerary.departure),
              arrival: localTime(itinerary.arrival),
              price,
            })}
          >
            {t('search.choose')}
          </Link>
        ) : (
          <p className="itinerary__unavailable" role="note">
            {t('search.notBookable', { airlines: offline })}
          </p>
        )}
      </div>
    </article>
  );
}
