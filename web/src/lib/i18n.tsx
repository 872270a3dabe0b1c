/**
 * Translations: Portuguese (pt-BR) by default, English on request, the choice remembered in
 * localStorage. Messages live in `messages.ts`; a key missing in one language is a type error.
 * `{name}` placeholders are filled from the params; `{count|one|other}` picks the singular when
 * `count` is 1 and the plural otherwise (right for both languages' uses here).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';

import { messages, type MessageKey } from './messages';

export const locales = ['pt-BR', 'en'] as const;
export type Locale = (typeof locales)[number];

const STORAGE_KEY = 'passcom.locale';

type Params = Record<string, string | number>;

export type Translate = (key: MessageKey, params?: Params) => string;

type I18n = {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
};

function storedLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return locales.find((locale) => locale === stored) ?? 'pt-BR';
  } catch {
    return 'pt-BR';
  }
}

/** `key` in `locale`, with `{placeholders}` filled. */
export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const text: string = messages[locale][key];
  if (!params) return text;
  return text
    .replace(/\{(\w+)\|([^|}]*)\|([^}]*)\}/g, (_whole, name: string, one: string, other: string) =>
      params[name] === 1 ? one : other,
    )
    .replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Locale }) {
  const [locale, setLocaleState] = useState<Locale>(() => initial ?? storedLocale());
  const setLocale = useCallback((next: Locale) => {
    setLocaleState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Private browsing may refuse storage; the choice then lasts for this page only.
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const value = useMemo<I18n>(
    () => ({ locale, setLocale, t: (key, params) => translate(locale, key, params) }),
    [locale, setLocale],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n needs an I18nProvider above it');
  return i18n;
}
