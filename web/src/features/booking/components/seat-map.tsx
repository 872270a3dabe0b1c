/**
 * One flight's seat map: taken seats greyed, each passenger's seat marked. The seats form one
 * tab stop; arrow keys move between them (rows up and down, seats left and right), Enter or
 * Space chooses the seat for the passenger being seated.
 */
import { useRef, useState, type KeyboardEvent } from 'react';

import { useI18n } from '../../../lib/i18n';
import type { SeatMap as SeatMapView } from '../api/get-seat-map';
import { aisleAfter, seatRows } from '../seats';

type Props = {
  map: SeatMapView;
  /** What the map is of, for its accessible name. */
  label: string;
  /** Each passenger's name (shown as "Passenger n" when still empty). */
  names: readonly string[];
  /** Each passenger's seat on this flight. */
  seats: readonly (string | null)[];
  /** The passenger being seated. */
  active: number;
  onActiveChange: (passenger: number) => void;
  onPick: (seat: string) => void;
};

export function SeatMap({ map, label, names, seats, active, onActiveChange, onPick }: Props) {
  const { t } = useI18n();
  const rows = seatRows(map);
  const width = map.letters.length;
  const aisle = aisleAfter(map.letters);
  const all = rows.flatMap((row) => row.seats);
  const owner = new Map(seats.flatMap((seat, passenger) => (seat ? [[seat, passenger] as const] : [])));
  const buttons = useRef<(HTMLButtonElement | null)[]>([]);
  const chosenIndex = all.findIndex((s) => s.seat === seats[active]);
  const firstFocus = chosenIndex >= 0 ? chosenIndex : Math.max(0, all.findIndex((s) => s.available));
  const [focus, setFocus] = useState<number | null>(null);
  const tabStop = focus ?? firstFocus;
  const name = (passenger: number) => names[passenger]?.trim() || t('book.passengerN', { n: passenger + 1 });

  const move = (event: KeyboardEvent<HTMLDivElement>) => {
    const steps: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -width, ArrowDown: width, Home: -all.length, End: all.length };
    const step = steps[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = Math.min(all.length - 1, Math.max(0, tabStop + step));
    setFocus(next);
    buttons.current[next]?.focus();
  };

  return (
    <div className="seat-picker">
      {names.length > 1 ? (
        <fieldset className="seat-picker__passengers">
          <legend>{t('book.choosingFor')}</legend>
          {names.map((_, passenger) => (
            <label key={passenger} className={`chip${passenger === active ? ' chip--active' : ''}`}>
              <input
                type="radio"
                name={`${map.flight}-passenger`}
                checked={passenger === active}
                onChange={() => onActiveChange(passenger)}
              />
              {name(passenger)} · {seats[passenger] ?? t('book.seatNone')}
            </label>
          ))}
        </fieldset>
      ) : null}
      <div className="seat-map" role="group" aria-label={label} onKeyDown={move}>
        <div className="seat-map__letters" aria-hidden="true">
          <span />
          {[...map.letters].map((letter, i) => (
            <span key={letter} className={i === aisle ? 'seat-map__after-aisle' : undefined}>
              {letter}
            </span>
          ))}
        </div>
        {rows.map((row) => (
          <div key={row.row} className="seat-map__row">
            <span className="seat-map__row-number" aria-hidden="true">
              {row.row}
            </span>
            {row.seats.map((seat, i) => {
              const index = (row.row - 1) * width + i;
              const by = owner.get(seat.seat);
              const mine = by === active;
              const blocked = !seat.available || (by !== undefined && !mine);
              const state = !seat.available ? 'taken' : by !== undefined ? 'chosen' : 'free';
              const text = !seat.available
                ? t('book.seatTaken', { seat: seat.seat })
                : by !== undefined
                  ? t('book.seatChosenBy', { seat: seat.seat, name: name(by) })
                  : t('book.seatFree', { seat: seat.seat });
              return (
                <button
                  key={seat.seat}
                  ref={(element) => {
                    buttons.current[index] = element;
                  }}
                  type="button"
                  className={`seat seat--${state}${i === aisle ? ' seat-map__after-aisle' : ''}`}
                  data-seat={seat.seat}
                  aria-label={text}
                  aria-pressed={mine}
                  aria-disabled={blocked || undefined}
                  tabIndex={index === tabStop ? 0 : -1}
                  onFocus={() => setFocus(index)}
                  onClick={() => {
                    if (!blocked) onPick(seat.seat);
                  }}
                >
                  <span aria-hidden="true">{seat.letter}</span>
                </button>
              );
            })}
          </div>
        ))}
      </div>
      <ul className="seat-legend" aria-hidden="true">
        <li>
          <span className="seat seat--free" /> {t('book.seatLegend.free')}
        </li>
        <li>
          <span className="seat seat--taken" /> {t('book.seatLegend.taken')}
        </li>
        <li>
          <span className="seat seat--chosen" /> {t('book.seatLegend.chosen')}
        </li>
      </ul>
    </div>
  );
}
