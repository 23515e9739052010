import { describe, expect, it } from 'vitest';
import { createDictionaries, dateFormat, numberFormat, plural, select } from '../src/i18n/index.js';

describe('messages', () => {
  it('plural picks an exact count, then the locale category, and formats # for the locale', () => {
    const comments = { 0: 'no comments', one: '# comment', other: '# comments' };
    expect(plural('en', 0, comments)).toBe('no comments');
    expect(plural('en', 1, comments)).toBe('1 comment');
    expect(plural('en', 1234, comments)).toBe('1,234 comments');
    // French puts 0 and 1 in "one", and groups thousands with a narrow no-break space.
    const fr = { one: '# commentaire', other: '# commentaires' };
    expect(plural('fr', 0, fr)).toBe('0 commentaire');
    expect(plural('fr', 1234, fr)).toBe('1\u202f234 commentaires');
    // Polish has "few" and "many"; a message without them falls back to "other".
    expect(plural('pl', 3, { one: '# plik', few: '# pliki', many: '# plików', other: '# pliku' })).toBe('3 pliki');
    expect(plural('pl', 5, { one: '# plik', other: '# plików' })).toBe('5 plików');
  });

  it('select picks the case, else other', () => {
    expect(select('admin', { admin: 'an admin', other: 'a reader' })).toBe('an admin');
    expect(select('author', { admin: 'an admin', other: 'a reader' })).toBe('a reader');
  });

  it('reuses one formatter per locale and options', () => {
    expect(dateFormat('fr', { dateStyle: 'long', timeZone: 'UTC' })).toBe(
      dateFormat('fr', { dateStyle: 'long', timeZone: 'UTC' }),
    );
    expect(dateFormat('fr', { dateStyle: 'long', timeZone: 'UTC' })).not.toBe(
      dateFormat('en', { dateStyle: 'long', timeZone: 'UTC' }),
    );
    expect(numberFormat('fr')).toBe(numberFormat('fr'));
    const long: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeZone: 'UTC' };
    expect(dateFormat('fr', long)).toBe(dateFormat('fr', { dateStyle: 'long', timeZone: 'UTC' }));
    expect(dateFormat('fr', long)).not.toBe(dateFormat('fr', { dateStyle: 'short', timeZone: 'UTC' }));
    expect(dateFormat('fr', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2026-11-30T12:00:00Z'))).toBe(
      '30 novembre 2026',
    );
    // One options object given to two kinds of formatter gets each its own kind.
    const shared = {};
    expect(numberFormat('en', shared)).toBeInstanceOf(Intl.NumberFormat);
    expect(dateFormat('en', shared)).toBeInstanceOf(Intl.DateTimeFormat);
  });

  it('plural gives the same text for a count seen before, -0 included', () => {
    const forms = { one: '# item', other: '# items' };
    for (let round = 0; round < 2; round++) {
      expect(plural('en', 0, forms)).toBe('0 items');
      expect(plural('en', -0, forms)).toBe('-0 items');
      expect(plural('en', 1.5, forms)).toBe('1.5 items');
      expect(plural('fr', 1, forms)).toBe('1 item');
    }
  });

  it('loads a locale once, on demand, and refuses one not loaded', async () => {
    let loads = 0;
    const dictionaries = createDictionaries({
      en: async () => {
        loads++;
        return { default: { hello: 'Hello', greet: (name: string) => `Hello, ${name}` } };
      },
      fr: async () => {
        loads++;
        return { default: { hello: 'Bonjour', greet: (name: string) => `Bonjour, ${name}` } };
      },
    });
    expect(() => dictionaries.get('fr')).toThrow(/"fr" are not loaded/);
    const [a, b] = await Promise.all([dictionaries.load('fr'), dictionaries.load('fr')]);
    expect(a).toBe(b);
    expect(loads).toBe(1);
    expect(dictionaries.get('fr').greet('Ada')).toBe('Bonjour, Ada');
    expect(dictionaries.has('en')).toBe(false);
    await dictionaries.loadAll();
    expect(loads).toBe(2);
    expect(dictionaries.get('en').hello).toBe('Hello');
  });

  it('lets a failed load be tried again', async () => {
    let attempts = 0;
    const dictionaries = createDictionaries({
      en: async () => {
        if (++attempts === 1) throw new Error('offline');
        return { default: { hello: 'Hello' } };
      },
    });
    await expect(dictionaries.load('en')).rejects.toThrow('offline');
    await expect(dictionaries.load('en')).resolves.toEqual({ hello: 'Hello' });
  });
});
