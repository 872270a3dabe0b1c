import { describe, expect, it } from 'vitest';

import { translate } from './i18n';
import { messages } from './messages';

describe('translations', () => {
  it('have every key in both languages, none empty', () => {
    const pt = Object.keys(messages['pt-BR']).sort();
    expect(Object.keys(messages.en).sort()).toEqual(pt);
    for (const locale of ['pt-BR', 'en'] as const) {
      for (const [key, text] of Object.entries(messages[locale])) expect(text, `${locale} ${key}`).not.toBe('');
    }
  });

  it('fill placeholders and pick singular or plural', () => {
    expect(translate('pt-BR', 'search.stops', { count: 1 })).toBe('1 parada');
    expect(translate('pt-BR', 'search.stops', { count: 2 })).toBe('2 paradas');
    expect(translate('en', 'search.passengerCount', { count: 3 })).toBe('3 passengers');
    expect(translate('pt-BR', 'time.nextDay', { days: 1 })).toBe('+1 dia');
    expect(translate('pt-BR', 'book.airlineOffline', { airline: 'Boreal' })).toMatch(/^Boreal está fora do ar/);
  });
});
