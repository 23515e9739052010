import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alternates, defineLocales } from '../src/i18n/index.js';

const site = defineLocales({ locales: ['en', 'fr', 'pt-BR'], defaultLocale: 'en' });

describe('locales in URLs', () => {
  it('reads the locale from the prefix; the default locale has none', () => {
    expect(site.split('/fr/posts/1?x=2')).toEqual({ locale: 'fr', path: '/posts/1?x=2' });
    expect(site.split('/fr')).toEqual({ locale: 'fr', path: '/' });
    expect(site.split('/fr/')).toEqual({ locale: 'fr', path: '/' });
    expect(site.split('/fr?q=1')).toEqual({ locale: 'fr', path: '/?q=1' });
    expect(site.split('/pt-BR/posts')).toEqual({ locale: 'pt-BR', path: '/posts' });
    expect(site.split('/posts/1')).toEqual({ locale: 'en', path: '/posts/1' });
    expect(site.split('/')).toEqual({ locale: 'en', path: '/' });
  });

  it('leaves unknown and default-locale prefixes in the path, for the router to refuse', () => {
    expect(site.split('/de/posts/1')).toEqual({ locale: 'en', path: '/de/posts/1' });
    expect(site.split('/en/posts/1')).toEqual({ locale: 'en', path: '/en/posts/1' });
    expect(site.split('/french/x')).toEqual({ locale: 'en', path: '/french/x' });
    expect(site.split('/FR/x')).toEqual({ locale: 'en', path: '/FR/x' });
  });

  it('puts a path in a locale, and split takes it back out', () => {
    expect(site.localize('fr', '/posts/1')).toBe('/fr/posts/1');
    expect(site.localize('fr', '/')).toBe('/fr');
    expect(site.localize('fr', '/?page=2')).toBe('/fr?page=2');
    expect(site.localize('en', '/posts/1')).toBe('/posts/1');
    const path = fc
      .array(fc.stringMatching(/^[a-z0-9-]{1,8}$/), { maxLength: 4 })
      .map((segments) => `/${segments.join('/')}`);
    fc.assert(
      fc.property(fc.constantFrom(...site.locales), path, (locale, unprefixed) => {
        fc.pre(!site.locales.includes(unprefixed.split('/')[1] as 'en'));
        expect(site.split(site.localize(locale, unprefixed))).toEqual({ locale, path: unprefixed });
      }),
    );
  });

  it('refuses a locale it does not have, and definitions that cannot work', () => {
    expect(() => site.localize('de' as 'fr', '/')).toThrow(/"de" is not one of en, fr, pt-BR/);
    expect(() => defineLocales({ locales: [], defaultLocale: 'en' as never })).toThrow(/at least one/);
    expect(() => defineLocales({ locales: ['en', 'fr'], defaultLocale: 'de' as 'en' })).toThrow(/default locale "de"/);
    expect(() => defineLocales({ locales: ['en', 'en'], defaultLocale: 'en' })).toThrow(/twice/);
    expect(() => defineLocales({ locales: ['en', 'posts/x'], defaultLocale: 'en' })).toThrow(/not a language tag/);
  });

  it('lists a page in every locale, and x-default', () => {
    expect(alternates(site, 'https://blog.example', '/posts/1')).toEqual([
      { hreflang: 'en', href: 'https://blog.example/posts/1' },
      { hreflang: 'fr', href: 'https://blog.example/fr/posts/1' },
      { hreflang: 'pt-BR', href: 'https://blog.example/pt-BR/posts/1' },
      { hreflang: 'x-default', href: 'https://blog.example/posts/1' },
    ]);
  });
});
