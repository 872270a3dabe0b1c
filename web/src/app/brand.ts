/**
 * The app wears the colours of the airline whose node serves it (`GET /about`). The last
 * brand seen is remembered, so that a reload paints in the right colour before the API answers.
 */
import type { About } from '../api/get-about';
import { safeColour, textOn } from '../lib/colour';

const STORAGE_KEY = 'passcom.brand';

type Brand = { name: string; colour: string };

export function applyBrand(brand: Brand) {
  const colour = safeColour(brand.colour);
  const root = document.documentElement;
  root.style.setProperty('--brand', colour);
  root.style.setProperty('--brand-text', textOn(colour));
  document.title = `${brand.name} · PassCom`;
  const icon = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (icon) {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><circle cx="16" cy="16" r="15" fill="${colour}"/><path d="M7 18l18-7-6 12-3-4z" fill="${textOn(colour)}"/></svg>`;
    icon.href = `data:image/svg+xml,${encodeURIComponent(svg)}`;
  }
}

/** Applies and remembers the brand of `about`. */
export function rememberBrand(about: About) {
  const brand = { name: about.airline.name, colour: about.airline.colour };
  applyBrand(brand);
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(brand));
  } catch {
    // Not remembered; the next load paints after /about answers.
  }
}

/** Applies the brand remembered from the last visit, if any. */
export function applyRememberedBrand() {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (!raw) return;
    const brand = JSON.parse(raw) as Partial<Brand>;
    if (typeof brand.name === 'string' && typeof brand.colour === 'string') applyBrand({ name: brand.name, colour: brand.colour });
  } catch {
    // A damaged entry: ignore it.
  }
}
