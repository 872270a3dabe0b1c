import { useAirlines } from '../../../api/get-airlines';
import { useAirports } from '../../../api/get-airports';
import { ErrorMessage } from '../../../components/ui/error-message';
import { Loading } from '../../../components/ui/loading';
import { useI18n } from '../../../lib/i18n';
import { useItineraries, type Itinerary, type SearchParams } from '../api/get-itineraries';
import { ItineraryCard } from './itinerary-card';

type Props = {
  params: SearchParams;
  chooseHref: (itinerary: Itinerary) => string;
  /** The trip shown on the map, by index. */
  onMap: number;
  onShowOnMap: (index: number, itinerary: Itinerary) => void;
};

/** The answer of a search: trips, or why there are none. */
export function ItineraryList({ params, chooseHref, onMap, onShowOnMap }: Props) {
  const { t } = useI18n();
  const itineraries = useItineraries(params);
  const airlines = useAirlines();
  const airports = useAirports();

  if (itineraries.isPending) return <Loading label={t('search.searching')} />;
  if (itineraries.isError) return <ErrorMessage error={itineraries.error} onRetry={() => void itineraries.refetch()} />;

  const city = (code: string) => airports.data?.find((a) => a.code === code)?.city ?? code;
  const list = itineraries.data;
  return (
    <section className="results" aria-labelledby="results-title" aria-busy={itineraries.isFetching}>
      <h2 id="results-title" className="results__title" aria-live="polite">
        {list.length === 0
          ? t('search.none')
          : t('search.results', {
              count: list.length,
              origin: city(params.origin),
              destination: city(params.destination),
            })}
      </h2>
      <div className="results__list">
        {list.map((itinerary, index) => (
          <ItineraryCard
            key={itinerary.legs.map((leg) => leg.id).join('+')}
            itinerary={itinerary}
            passengers={params.passengers}
            airlines={airlines.data?.byId ?? new Map()}
            chooseHref={chooseHref(itinerary)}
            onMap={index === onMap}
            onShowOnMap={() => onShowOnMap(index, itinerary)}
          />
        ))}
      </div>
    </section>
  );
}
