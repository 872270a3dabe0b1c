/**
 * An SVG map of Brazil with airports and lines between them: the network's routes, or one
 * trip's legs. Everything it draws comes from the app itself (the outline) and from the API
 * (airports, routes): no tiles, no internet.
 */
import { useId } from 'react';

import { curve, mapSize, outlinePath, project } from './projection';

export type MapAirport = {
  code: string;
  city: string;
  latitude: number;
  longitude: number;
};

export type MapLine = {
  key: string;
  from: string;
  to: string;
  colour: string;
  /** Sideways bend, a fraction of the line's length (0 for straight). */
  bend?: number;
  /** Drawn dashed: an airline that is offline. */
  dashed?: boolean;
  /** Drawn thick, with an arrow: a leg of the trip shown. */
  emphasis?: boolean;
  /** Tooltip. */
  label?: string;
};

type Props = {
  airports: readonly MapAirport[];
  lines: readonly MapLine[];
  /** The map's accessible name. */
  title: string;
  /** A sentence saying what it shows, for screen readers. */
  description?: string;
  /** Airports whose code is written next to them (all when omitted). */
  labelled?: ReadonlySet<string>;
  /** Airports drawn larger (a trip's stops). */
  highlighted?: ReadonlySet<string>;
};

export function BrazilMap({ airports, lines, title, description, labelled, highlighted }: Props) {
  const id = useId();
  const byCode = new Map(airports.map((airport) => [airport.code, airport]));
  const at = (code: string) => {
    const airport = byCode.get(code);
    return airport ? project(airport.longitude, airport.latitude) : null;
  };
  const arrowColours = [...new Set(lines.filter((l) => l.emphasis).map((l) => l.colour))];
  const marker = (colour: string) => `${id}-arrow-${colour.replace(/[^a-z0-9]/gi, '')}`;
  return (
    <svg
      className="brazil-map"
      viewBox={`0 0 ${mapSize.width} ${mapSize.height}`}
      role="img"
      aria-labelledby={`${id}-title`}
      aria-describedby={description ? `${id}-desc` : undefined}
    >
      <title id={`${id}-title`}>{title}</title>
      {description ? <desc id={`${id}-desc`}>{description}</desc> : null}
      <defs>
        {arrowColours.map((colour) => (
          <marker
            key={colour}
            id={marker(colour)}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="5"
            markerHeight="5"
            orient="auto-start-reverse"
          >
            <path d="M0 0 L10 5 L0 10 z" fill={colour} />
          </marker>
        ))}
      </defs>
      <path className="brazil-map__land" d={outlinePath} />
      <g className="brazil-map__lines" fill="none">
        {lines.map((line) => {
          const a = at(line.from);
          const b = at(line.to);
          if (!a || !b) return null;
          return (
            <path
              key={line.key}
              d={curve(a, b, line.bend ?? 0)}
              stroke={line.colour}
              strokeWidth={line.emphasis ? 3 : 1.2}
              strokeOpacity={line.emphasis ? 1 : 0.7}
              strokeDasharray={line.dashed ? '4 3' : undefined}
              strokeLinecap="round"
              markerEnd={line.emphasis ? `url(#${marker(line.colour)})` : undefined}
            >
              {line.label ? <title>{line.label}</title> : null}
            </path>
          );
        })}
      </g>
      <g className="brazil-map__airports">
        {airports.map((airport) => {
          const { x, y } = project(airport.longitude, airport.latitude);
          const big = highlighted?.has(airport.code) ?? false;
          const label = labelled ? labelled.has(airport.code) : true;
          return (
            <g key={airport.code} data-airport={airport.code}>
              <title>{`${airport.city} (${airport.code})`}</title>
              <circle
                cx={x}
                cy={y}
                r={big ? 4.5 : 2.6}
                className={big ? 'brazil-map__airport brazil-map__airport--stop' : 'brazil-map__airport'}
              />
              {label ? (
                <text x={x + 5} y={y - 4} className={big ? 'brazil-map__code brazil-map__code--stop' : 'brazil-map__code'}>
                  {airport.code}
                </text>
              ) : null}
            </g>
          );
        })}
      </g>
    </svg>
  );
}
