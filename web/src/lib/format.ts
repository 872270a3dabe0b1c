/**
 * How amounts, times and durations read. Times come from the API as RFC 3339 in the local
 * time of their airport (`2026-12-01T06:00:00-05:00`); they are shown as that local wall-clock
 * time, never converted to the browser's zone, because a departure is read at its airport.
 */
import type { Locale } from './i18n';

const money = new Map<Locale, Intl.NumberFormat>();

/** Cents of BRL as `R$ 1.234,56` (pt-BR) or `R$1,234.56` (en). */
export function formatMoney(cents: number, locale: Locale): string {
  let format = money.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency: 'BRL' });
    money.set(locale, format);
  }
  return format.format(cents / 100);
}

/** `HH:MM` of a local RFC 3339 time, as written at its airport. */
export function localTime(rfc3339: string): string {
  return rfc3339.slice(11, 16);
}

/** The local date (`YYYY-MM-DD`) of a local RFC 3339 time. */
export function localDate(rfc3339: string): string {
  return rfc3339.slice(0, 10);
}

/** A `YYYY-MM-DD` date for people: `qua., 2 de dez. de 2026` / `Wed, Dec 2, 2026`. */
export function formatDate(date: string, locale: Locale, withYear = true): string {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  if (!year || !month || !day) return date;
  // Noon UTC of that calendar date, formatted in UTC: the same date whatever the browser's zone.
  const at = new Date(Date.UTC(year, month - 1, day, 12));
  return new Intl.DateTimeFormat(locale, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  }).format(at);
}

/** An instant (UTC or with offset) in the browser's time, with seconds: for status pages. */
export function formatInstant(at: string, locale: Locale): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'short',
    timeStyle: 'medium',
  }).format(date);
}

/** Minutes as `11 h 25 min` (pt-BR) or `11h 25m` (en). */
export function formatDuration(minutes: number, locale: Locale): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const [h, m, gap] = locale === 'pt-BR' ? [' h', ' min', ' '] : ['h', 'm', ' '];
  if (hours === 0) return `${rest}${m}`;
  if (rest === 0) return `${hours}${h}`;
  return `${hours}${h}${gap}${String(rest).padStart(2, '0')}${m}`;
}

/** Seconds between two instants, for "3 s ago". */
export function secondsBetween(earlier: string, later: Date): number {
  return Math.max(0, Math.round((later.getTime() - new Date(earlier).getTime()) / 1000));
}

/** Lower case without accents, for matching what people type against names. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

/** Today's date in the browser's zone, `YYYY-MM-DD`. */
export function today(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** `date` plus `days`, `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const [year, month, day] = date.split('-').map(Number);
  const at = new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (day ?? 1) + days));
  return at.toISOString().slice(0, 10);
}

/** Whole days from date `a` to date `b` (both `YYYY-MM-DD` or local RFC 3339). */
export function daysBetween(a: string, b: string): number {
  const day = (text: string) => {
    const [year, month, date] = text.slice(0, 10).split('-').map(Number);
    return Date.UTC(year ?? 1970, (month ?? 1) - 1, date ?? 1) / 86_400_000;
  };
  return Math.round(day(b) - day(a));
}

/** `Giro, Boreal e Rumos` / `Giro, Boreal, and Rumos`. */
export function formatList(items: readonly string[], locale: string): string {
  return new Intl.ListFormat(locale, { style: 'long', type: 'conjunction' }).format(items);
}
