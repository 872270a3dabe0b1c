/**
 * Longitude/latitude to map coordinates: an equirectangular projection with longitudes shrunk
 * by the cosine of a central latitude, which keeps Brazil's shape within a few percent and
 * needs no library. Map units are tenths of a degree of latitude.
 */
import { brazilOutline } from './brazil-outline';

const UNITS_PER_DEGREE = 10;
const PAD = 12;
/** Room on the east for the codes written to the right of coastal airports. */
const PAD_EAST = 30;
const CENTRAL_LATITUDE = -14;
const LONGITUDE_SCALE = Math.cos((CENTRAL_LATITUDE * Math.PI) / 180);

const longitudes = brazilOutline.map(([lon]) => lon);
const latitudes = brazilOutline.map(([, lat]) => lat);
const WEST = Math.min(...longitudes);
const EAST = Math.max(...longitudes);
const NORTH = Math.max(...latitudes);
const SOUTH = Math.min(...latitudes);

/** Size of the map in map units. */
export const mapSize = {
  width: Math.ceil((EAST - WEST) * LONGITUDE_SCALE * UNITS_PER_DEGREE + PAD + PAD_EAST),
  height: Math.ceil((NORTH - SOUTH) * UNITS_PER_DEGREE + 2 * PAD),
};

export type Point = { x: number; y: number };

/** Where `longitude`, `latitude` falls on the map. */
export function project(longitude: number, latitude: number): Point {
  return {
    x: PAD + (longitude - WEST) * LONGITUDE_SCALE * UNITS_PER_DEGREE,
    y: PAD + (NORTH - latitude) * UNITS_PER_DEGREE,
  };
}

/** The outline as an SVG path. */
export const outlinePath: string =
  brazilOutline
    .map(([lon, lat], i) => {
      const { x, y } = project(lon, lat);
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)} ${y.toFixed(1)}`;
    })
    .join(' ') + ' Z';

/**
 * A gentle curve from `a` to `b`, bent sideways by `bend` (a fraction of its length; the sign
 * picks the side), so that routes between the same airports flown by several airlines stay
 * apart.
 */
export function curve(a: Point, b: Point, bend: number): string {
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const cx = mx - dy * bend;
  const cy = my + dx * bend;
  return `M${a.x.toFixed(1)} ${a.y.toFixed(1)} Q${cx.toFixed(1)} ${cy.toFixed(1)} ${b.x.toFixed(1)} ${b.y.toFixed(1)}`;
}
