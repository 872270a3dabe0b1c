import { useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';

import { useAirports } from '../../api/get-airports';
import { TripMap } from '../../components/map/trip-map';
import { ErrorMessage } from '../../components/ui/error-message';
import { Loading } from '../../components/ui/loading';
import { paths } from '../../config/paths';
import { NetworkMap } from '../../features/network/components/network-map';
import { searchFromUrl, searchToUrl, useItineraries, type Itinerary } from '../../features/search/api/get-itineraries';
import { ItineraryList } from '../../features/search/components/itinerary-list';
import { SearchForm } from '../../features/search/components/search-form';
import { useAbout } from '../../api/get-about';
import { addDays, today } from '../../lib/format';
import { useI18n } from '../../lib/i18n';

/** The booking page of a trip found by the search at `back`. */
export function bookHref(itinerary: Itinerary, passengers: number, back: string): string {
  const query = new URLSearchParams({
    flights: itinerary.legs.map((leg) => leg.id).join(','),
    passengers: String(passengers),
    back,
  });
  return `${paths.book}?${query.toString()}`;
}

/** Searches to start from, for tomorrow: the original's chain first. */
const SUGGESTIONS: { origin: string; destination: string; departureFrom?: string; departureUntil?: string; chain?: boolean }[] = [
  { origin: 'RBR', destination: 'MCP', departureFrom: '05:00', departureUntil: '07:00', chain: true },
  { origin: 'GRU', destination: 'MAO' },
  { origin: 'BSB', destination: 'SSA' },
  { origin: 'POA', destination: 'FOR' },
];

function Suggestions() {
  const { t } = useI18n();
  const airports = useAirports();
  const city = (code: string) => airports.data?.find((a) => a.code === code)?.city ?? code;
  const date = addDays(today(), 1);
  return (
    <section className="card suggestions" aria-labelledby="suggestions-title">
      <h2 id="suggestions-title">{t('search.suggestions')}</h2>
      <p className="muted">{t('search.intro')}</p>
      <ul>
        {SUGGESTIONS.map((s) => (
          <li key={`${s.origin}-${s.destination}`}>
            <Link to={`${paths.search}?${searchToUrl({ ...s, date, passengers: 1 }).toString()}`}>
              {city(s.origin)} → {city(s.destination)}
            </Link>
            {s.chain ? <span className="muted"> · {t('search.suggestionChain')}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SearchRoute() {
  const { t } = useI18n();
  const about = useAbout();
  const [query, setQuery] = useSearchParams();
  const location = useLocation();
  const params = searchFromUrl(query);
  const airports = useAirports();
  const itineraries = useItineraries(params);
  const [onMap, setOnMap] = useState(0);
  const shown = params ? itineraries.data?.[onMap] : undefined;

  return (
    <div className="page page--search">
      <section className="hero">
        <h1>{t('search.title')}</h1>
        <p>{about.data ? t('app.tagline', { airline: about.data.airline.name }) : t('search.intro')}</p>
      </section>
      {airports.isPending ? <Loading /> : null}
      {airports.isError ? <ErrorMessage error={airports.error} onRetry={() => void airports.refetch()} /> : null}
      {airports.data ? (
        <SearchForm
          key={query.toString()}
          airports={airports.data}
          initial={params}
          busy={itineraries.isFetching}
          onSearch={(next) => {
            setOnMap(0);
            setQuery(searchToUrl(next));
          }}
        />
      ) : null}
      <div className="search-layout">
        <div className="search-layout__results">
          {params ? (
            <ItineraryList
              params={params}
              chooseHref={(itinerary) => bookHref(itinerary, params.passengers, location.search)}
              onMap={onMap}
              onShowOnMap={(index) => setOnMap(index)}
            />
          ) : (
            <Suggestions />
          )}
        </div>
        <aside className="search-layout__map card" aria-label={shown ? t('search.mapTitle') : t('search.networkMapTitle')}>
          {shown ? (
            <TripMap
              legs={shown.legs.map((leg) => ({ origin: leg.origin, destination: leg.destination, airline: leg.airline, flight: leg.flight_number }))}
            />
          ) : (
            <NetworkMap />
          )}
        </aside>
      </div>
    </div>
  );
}
