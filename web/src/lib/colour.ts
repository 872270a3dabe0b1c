/**
 * Colours of airlines come from the network (`#rrggbb`); text on them must stay readable
 * whatever an airline picks, so it is black or white by WCAG contrast.
 */

function channel(hex: string, at: number): number {
  const value = parseInt(hex.slice(at, at + 2), 16) / 255;
  return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb` (0 black, 1 white); null if it is not one. */
export function luminance(colour: string): number | null {
  if (!/^#[0-9a-f]{6}$/i.test(colour)) return null;
  return 0.2126 * channel(colour, 1) + 0.7152 * channel(colour, 3) + 0.0722 * channel(colour, 5);
}

/** The WCAG contrast ratio of two luminances. */
function contrast(a: number, b: number): number {
  const [light, dark] = a > b ? [a, b] : [b, a];
  return (light + 0.05) / (dark + 0.05);
}

/** White or near-black, whichever reads better on `background`. */
export function textOn(background: string): string {
  const l = luminance(background);
  if (l === null) return '#ffffff';
  return contrast(l, 1) >= contrast(l, 0) ? '#ffffff' : '#111111';
}

/** `colour` if it is `#rrggbb`, else a neutral grey (a colour never reaches CSS unchecked). */
export function safeColour(colour: string | undefined): string {
  return colour && luminance(colour) !== null ? colour : '#5f6b7a';
}
