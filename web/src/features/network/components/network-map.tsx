import type { CSSProperties } from 'react';

import { useAirlines } from '../../../api/get-airlines';
import { useAirports } from '../../../api/get-airports';
import { BrazilMap, type MapLine } from '../../../components/map/brazil-map';
import { ErrorMessage } from '../../../components/ui/error-message';
import { Loading } from '../../../components/ui/loading';
import { safeColour } from '../../../lib/colour';
import { formatList } from '../../../lib/format';
import { useI18n } from '../../../lib/i18n';
import { useRoutes, type Route } from '../api/get-routes';

/**
 * Lines of the network: one per airline and pair of airports (both directions are one line),
 * the airlines flying the same pair bent apart so each stays visible.
 */
export function routeLines(routes: readonly Route[], colour: (airline: string) => string, offline: (airline: string) => boolean): MapLine[] {
  const pairs = new Map<string, Set<string>>();
  for (const route of routes) {
    const pair = [route.origin, route.destination].sort().join('-');
    const airlines = pairs.get(pair) ?? new Set<string>();
    airlines.add(route.airline);
    pairs.set(pair, airlines);
  }
  return [...pairs].flatMap(([pair, airlines]) => {
    const [from = '', to = ''] = pair.split('-');
    const sorted = [...airlines].sort();
    return sorted.map((airline, index) => ({
      key: `${pair}-${airline}`,
      from,
      to,
      colour: colour(airline),
      dashed: offline(airline),
      // 0, then ±0.08, ±0.16…: the first straight, the others on alternate sides.
      bend: index === 0 ? 0 : (index % 2 === 1 ? 1 : -1) * 0.08 * Math.ceil(index / 2),
      label: `${airline}: ${from} – ${to}`,
    }));
  });
}

/** The whole network: airports, and routes in their airlines' colours (offline ones dashed). */
export function NetworkMap() {
  const { t, locale } = useI18n();
  const airports = useAirports();
  const airlines = useAirlines();
  const routes = useRoutes();
  if (airports.isPending || routes.isPending) return <Loading />;
  if (airports.isError) return <ErrorMessage error={airports.error} onRetry={() => void airports.refetch()} />;
  if (routes.isError) return <ErrorMessage error={routes.error} onRetry={() => void routes.refetch()} />;
  const byId = airlines.data?.byId;
  const lines = routeLines(
    routes.data,
    (id) => safeColour(byId?.get(id)?.colour),
    (id) => byId?.get(id)?.status === 'offline',
  );
  const names = airlines.data?.list.map((a) => a.name) ?? [];
  return (
    <figure className="network-map">
      <BrazilMap
        airports={airports.data}
        lines={lines}
        title={t('network.mapTitle')}
        description={t('network.mapDescription', {
          airports: airports.data.length,
          routes: lines.length,
          airlines: formatList(names, locale),
        })}
      />
      <figcaption>
        <ul className="legend" aria-label={t('network.legend')}>
          {airlines.data?.list.map((airline) => (
            <li key={airline.id} style={{ '--swatch': safeColour(airline.colour) } as CSSProperties}>
              <span className={`legend__swatch${airline.status === 'offline' ? ' legend__swatch--dashed' : ''}`} aria-hidden="true" />
              {airline.name}
              {airline.status === 'offline' ? ` (${t('network.offline')})` : ''}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
