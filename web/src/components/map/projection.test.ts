import { describe, expect, it } from 'vitest';

import { airports } from '../../testing/fixtures';
import { brazilOutline } from './brazil-outline';
import { mapSize, outlinePath, project } from './projection';

describe('the map projection', () => {
  it('puts every airport inside the map', () => {
    for (const airport of airports) {
      const { x, y } = project(airport.longitude, airport.latitude);
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThan(mapSize.width);
      expect(y).toBeGreaterThan(0);
      expect(y).toBeLessThan(mapSize.height);
    }
  });

  it('keeps north up and east right', () => {
    const macapa = project(-51.07, 0.04);
    const portoAlegre = project(-51.17, -29.99);
    const recife = project(-34.88, -8.05);
    const rioBranco = project(-67.81, -9.97);
    expect(macapa.y).toBeLessThan(portoAlegre.y);
    expect(recife.x).toBeGreaterThan(rioBranco.x);
  });

  it('draws the outline as one closed path', () => {
    expect(brazilOutline.length).toBeGreaterThan(100);
    expect(outlinePath.startsWith('M')).toBe(true);
    expect(outlinePath.endsWith('Z')).toBe(true);
  });
});
