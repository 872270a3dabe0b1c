import { describe, expect, it } from 'vitest';

import { addDays, daysBetween, fold, formatDate, formatDuration, formatMoney, localTime } from './format';

describe('format', () => {
  it('shows cents of BRL as reais in pt-BR and English', () => {
    expect(formatMoney(123_456, 'pt-BR')).toBe('R$\u00a01.234,56');
    expect(formatMoney(95_000, 'en')).toBe('R$950.00');
  });

  it('keeps times as written at their airport', () => {
    expect(localTime('2026-12-01T06:00:00-05:00')).toBe('06:00');
    expect(formatDate('2026-12-01T23:30:00-05:00', 'pt-BR')).toContain('1 de dez');
  });

  it('counts local days for "+1 day"', () => {
    expect(daysBetween('2026-12-01T22:00:00-03:00', '2026-12-02T01:10:00-03:00')).toBe(1);
    expect(daysBetween('2026-12-31', '2027-01-02')).toBe(2);
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('writes durations the way each language does', () => {
    expect(formatDuration(710, 'pt-BR')).toBe('11 h 50 min');
    expect(formatDuration(45, 'pt-BR')).toBe('45 min');
    expect(formatDuration(120, 'en')).toBe('2h');
  });

  it('folds accents and case for matching', () => {
    expect(fold('Macapá')).toBe('macapa');
    expect(fold('SÃO PAULO')).toBe('sao paulo');
  });
});
