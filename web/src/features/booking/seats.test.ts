import { describe, expect, it } from 'vitest';

import { seatMap } from '../../testing/fixtures';
import { chooseSeats, seatRows } from './seats';

describe('choosing seats', () => {
  it('lists seats row by row in letter order', () => {
    const rows = seatRows(seatMap('X', ['1B']));
    expect(rows[0]?.seats.map((s) => `${s.seat}:${s.available}`)).toEqual(['1A:true', '1B:false', '1C:true', '1D:true']);
  });

  it('seats a party together in the first row with room', () => {
    expect(chooseSeats(seatMap('X', ['1B', '2A']), 3)).toEqual(['2B', '2C', '2D']);
  });

  it('falls back to front-to-back when no row has room, and refuses when the flight is full', () => {
    const map = seatMap('X', ['1B', '1D', '2B', '2D'], 2);
    expect(chooseSeats(map, 3)).toEqual(['1A', '1C', '2A']);
    expect(chooseSeats(map, 5)).toBeNull();
  });
});
