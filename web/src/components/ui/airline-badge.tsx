import type { CSSProperties } from 'react';

import { safeColour, textOn } from '../../lib/colour';

type AirlineLike = { id: string; name?: string; designator?: string; colour?: string };

/** An airline's name on its colour: how every leg and segment shows who flies it. */
export function AirlineBadge({ airline, compact = false }: { airline: AirlineLike; compact?: boolean }) {
  const colour = safeColour(airline.colour);
  const style = { '--badge': colour, '--badge-text': textOn(colour) } as CSSProperties;
  const name = airline.name ?? airline.id;
  return (
    <span className="airline-badge" style={style} title={compact ? name : undefined}>
      {compact ? (airline.designator ?? name) : name}
    </span>
  );
}
