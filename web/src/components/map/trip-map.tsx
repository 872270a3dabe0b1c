import { useAirlines } from '../../api/get-airlines';
import { useAirports } from '../../api/get-airports';
import { safeColour } from '../../lib/colour';
import { useI18n } from '../../lib/i18n';
import { BrazilMap, type MapLine } from './brazil-map';

type Leg = { origin: string; destination: string; airline: string; flight?: string };

/** One trip on the map: its legs in their airlines' colours, its airports named. */
export function TripMap({ legs }: { legs: readonly Leg[] }) {
  const { t } = useI18n();
  const airports = useAirports();
  const airlines = useAirlines();
  if (!airports.data || legs.length === 0) return <div className="map-placeholder" aria-hidden="true" />;
  const stops = new Set(legs.flatMap((leg) => [leg.origin, leg.destination]));
  const lines: MapLine[] = legs.map((leg, index) => {
    const airline = airlines.data?.byId.get(leg.airline);
    return {
      key: `${index}-${leg.origin}-${leg.destination}`,
      from: leg.origin,
      to: leg.destination,
      colour: safeColour(airline?.colour),
      bend: 0.12,
      emphasis: true,
      label: `${leg.flight ?? ''} ${airline?.name ?? leg.airline}: ${leg.origin} → ${leg.destination}`.trim(),
    };
  });
  const first = legs[0];
  const last = legs[legs.length - 1];
  const description = t('search.mapDescription', {
    origin: first?.origin ?? '',
    destination: last?.destination ?? '',
    legs: legs
      .map((leg) => `${leg.origin} → ${leg.destination} (${airlines.data?.byId.get(leg.airline)?.name ?? leg.airline})`)
      .join(', '),
  });
  return (
    <BrazilMap
      airports={airports.data}
      lines={lines}
      title={t('search.mapTitle')}
      description={description}
      labelled={stops}
      highlighted={stops}
    />
  );
}
