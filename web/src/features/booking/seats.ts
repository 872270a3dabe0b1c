/**
 * Seats on a seat map: its rows, and choosing free seats for a party the way the owner does
 * when asked to (`Cabin::choose_free`): together in one row when a row has room, else front to
 * back.
 */
import type { SeatMap } from './api/get-seat-map';

export type SeatRow = { row: number; seats: { seat: string; letter: string; available: boolean }[] };

/** The map's seats row by row, in the order of its letters. */
export function seatRows(map: SeatMap): SeatRow[] {
  const available = new Map(map.seats.map((s) => [s.seat, s.available]));
  return Array.from({ length: map.rows }, (_, i) => {
    const row = i + 1;
    return {
      row,
      seats: [...map.letters].map((letter) => {
        const seat = `${row}${letter}`;
        return { seat, letter, available: available.get(seat) ?? false };
      }),
    };
  });
}

/** Whether `seat` can be chosen on `map` now. */
export function isFree(map: SeatMap | undefined, seat: string | null): boolean {
  return seat !== null && (map?.seats.some((s) => s.seat === seat && s.available) ?? false);
}

/**
 * `count` free seats not in `taken`: adjacent in the first row that has them, else the first
 * free ones front to back; null if the flight has too few.
 */
export function chooseSeats(map: SeatMap, count: number, taken: ReadonlySet<string> = new Set()): string[] | null {
  const free = (s: { seat: string; available: boolean }) => s.available && !taken.has(s.seat);
  const rows = seatRows(map);
  for (const row of rows) {
    for (let start = 0; start + count <= row.seats.length; start++) {
      const run = row.seats.slice(start, start + count);
      if (run.every(free)) return run.map((s) => s.seat);
    }
  }
  const anywhere = rows.flatMap((row) => row.seats.filter(free).map((s) => s.seat));
  return anywhere.length >= count ? anywhere.slice(0, count) : null;
}

/** Where the aisle goes: after the middle letter (`ABC | DEF`). */
export function aisleAfter(letters: string): number {
  return Math.ceil(letters.length / 2);
}
