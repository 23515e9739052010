import { describe, expect, it } from 'vitest';
import { negotiateLocale } from '../src/i18n/index.js';

const offered = ['en', 'fr', 'pt-BR'] as const;

describe('choosing a locale from Accept-Language', () => {
  it('takes the highest quality the site offers, then the order sent', () => {
    expect(negotiateLocale('de, fr;q=0.8, en;q=0.5', offered)).toBe('fr');
    expect(negotiateLocale('en;q=0.5, fr;q=0.5', offered)).toBe('en');
    expect(negotiateLocale('fr;q=0.4, en;q=0.9', offered)).toBe('en');
  });

  it('matches language ranges and subtags both ways, ignoring case', () => {
    expect(negotiateLocale('fr-CA', offered)).toBe('fr');
    expect(negotiateLocale('pt', offered)).toBe('pt-BR');
    expect(negotiateLocale('PT-br', offered)).toBe('pt-BR');
  });

  it('offers nothing for nothing acceptable, q=0, junk or no header', () => {
    expect(negotiateLocale('de, ja', offered)).toBeUndefined();
    expect(negotiateLocale('fr;q=0', offered)).toBeUndefined();
    expect(negotiateLocale(';;;,,q=', offered)).toBeUndefined();
    expect(negotiateLocale('fr;q=abc', offered)).toBeUndefined();
    expect(negotiateLocale(undefined, offered)).toBeUndefined();
    expect(negotiateLocale('', offered)).toBeUndefined();
  });

  it('takes the first locale for a wildcard', () => {
    expect(negotiateLocale('de, *;q=0.1', offered)).toBe('en');
  });
});
