import { describe, expect, expectTypeOf, it } from 'vitest';
import { createRouter, param, route, type DestinationOf, type HrefInput } from '../src/routing/index.js';

const router = createRouter({
  search: route('/search', {
    query: {
      q: param.string({ optional: true }),
      tag: param.array(param.slug()),
      year: param.array(param.int({ min: 2000, max: 2100 }), { maxItems: 3 }),
    },
  }),
});
type Search = Extract<DestinationOf<typeof router>, { route: 'search' }>;
const search = (query: Search['query']) => ({ ok: true, destination: { route: 'search', params: {}, query } });

describe('repeated query keys', () => {
  it('are read in URL order into a typed array', () => {
    expect(router.parse('/search?tag=b&q=x&tag=a&year=2024&tag=b')).toEqual(
      search({ q: 'x', tag: ['b', 'a', 'b'], year: [2024] }),
    );
    expectTypeOf<Search['query']>().toEqualTypeOf<{ tag: string[]; year: number[]; q?: string }>();
  });

  it('are the empty array when absent', () => {
    expect(router.parse('/search')).toEqual(search({ tag: [], year: [] }));
  });

  it('decode each value like a single one: "+" is a space, percent escapes are strict', () => {
    expect(router.parse('/search?tag=%C3%A9t%C3%A9')).toEqual(search({ tag: ['été'], year: [] }));
    expect(router.parse('/search?tag=a&tag=%E0%A4%A')).toEqual({
      ok: false,
      reason: 'bad-param',
      route: 'search',
      errors: [{ path: 'query.tag[1]', message: 'has malformed percent-encoding' }],
    });
  });

  it('name the position of each rejected value', () => {
    expect(router.parse('/search?year=2024&year=1999&tag=ok&tag=not%20a%20slug')).toEqual({
      ok: false,
      reason: 'bad-param',
      route: 'search',
      errors: [
        { path: 'query.tag[1]', message: 'may contain only letters, digits, "-", "_" and "."' },
        { path: 'query.year[1]', message: 'must be ≥ 2000' },
      ],
    });
  });

  it('refuse more values than maxItems', () => {
    expect(router.parse('/search?year=2001&year=2002&year=2003&year=2004')).toEqual({
      ok: false,
      reason: 'bad-param',
      route: 'search',
      errors: [{ path: 'query.year', message: 'must not be repeated more than 3 times' }],
    });
  });

  it('are written back one entry per value, in order, and left out when empty', () => {
    expect(router.href({ route: 'search', query: { tag: ['b', 'a', 'b'], year: [2024, 2023] } })).toBe(
      '/search?tag=b&tag=a&tag=b&year=2024&year=2023',
    );
    expect(router.href({ route: 'search', query: { tag: [], q: 'a b' } })).toBe('/search?q=a+b');
    expect(router.href({ route: 'search' })).toBe('/search');
    const d = { route: 'search', params: {}, query: { q: 'x', tag: ['é', 'a.b'], year: [2100] } } as const;
    expect(router.parse(router.href(d))).toEqual({ ok: true, destination: d });
  });

  it('refuse to write what would not parse back', () => {
    const href = (query: unknown) => () => router.href({ route: 'search', query } as HrefInput<typeof router.table>);
    expect(href({ tag: 'a' })).toThrow('router.href("search"): query.tag must be an array');
    expect(href({ tag: ['a', 'b c'] })).toThrow(/query\.tag\[1\] may contain only letters/);
    expect(href({ year: [2001, 2002, 2003, 2004] })).toThrow(/query\.year must not have more than 3 values/);
  });
});
