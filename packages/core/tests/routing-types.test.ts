/**
 * Type inference is part of the API. The `expectTypeOf` and `@ts-expect-error`
 * lines are checked by `tsc -p packages/core/tsconfig.json`; the runtime
 * assertions check that what the types forbid is also refused at run time.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  createRouter,
  param,
  route,
  type DecodeResult,
  type DestinationOf,
  type ParseResult,
} from '../src/routing/index.js';

const router = createRouter({
  home: route('/', { query: { page: param.int({ min: 1, max: 1000, optional: true }) } }),
  post: route('/posts/:id', { params: { id: param.int({ min: 1, max: 1_000_000 }) } }),
  feed: route('/feed/:format', { params: { format: param.enum(['rss', 'atom']) } }),
  search: route('/search', { query: { q: param.string(), sort: param.enum(['new', 'top'], { default: 'new' }) } }),
  day: route('/day/:on', {
    params: {
      on: param.custom({
        decode: (raw): DecodeResult<Date> => ({ ok: true, value: new Date(raw) }),
        encode: (d) => d.toISOString(),
      }),
    },
  }),
});
type D = DestinationOf<typeof router>;

describe('routing types', () => {
  it('infers one destination per route, discriminated by name', () => {
    expectTypeOf<D['route']>().toEqualTypeOf<'home' | 'post' | 'feed' | 'search' | 'day'>();
    expectTypeOf<Extract<D, { route: 'home' }>>().toEqualTypeOf<{
      route: 'home';
      params: {};
      query: { page?: number };
    }>();
    expectTypeOf<Extract<D, { route: 'post' }>>().toEqualTypeOf<{ route: 'post'; params: { id: number }; query: {} }>();
    expectTypeOf<Extract<D, { route: 'feed' }>['params']>().toEqualTypeOf<{ format: 'rss' | 'atom' }>();
    expectTypeOf<Extract<D, { route: 'search' }>['query']>().toEqualTypeOf<{ q: string; sort: 'new' | 'top' }>();
    expectTypeOf<Extract<D, { route: 'day' }>['params']>().toEqualTypeOf<{ on: Date }>();
    expectTypeOf(router.parse).returns.toEqualTypeOf<ParseResult<D>>();
    expect(router.routes).toHaveLength(5);
  });

  it('narrows parse results', () => {
    const result = router.parse('/posts/3');
    if (result.ok && result.destination.route === 'post') {
      expectTypeOf(result.destination.params.id).toEqualTypeOf<number>();
    }
    if (!result.ok && result.reason === 'bad-param') expectTypeOf(result.route).toEqualTypeOf<D['route']>();
    expect(result.ok).toBe(true);
  });

  it('lets href omit what has no required keys, and only that', () => {
    expect(router.href({ route: 'home' })).toBe('/');
    expect(router.href({ route: 'search', query: { q: 'x' } })).toBe('/search?q=x');
    // @ts-expect-error q is required
    expect(() => router.href({ route: 'search' })).toThrow(/query\.q is required/);
    // @ts-expect-error params are required
    expect(() => router.href({ route: 'post' })).toThrow(/params\.id is missing/);
    // @ts-expect-error unknown route
    expect(() => router.href({ route: 'nope' })).toThrow(/unknown route/);
    // @ts-expect-error wrong value type
    expect(() => router.href({ route: 'post', params: { id: '3' } })).toThrow(/params\.id/);
  });

  it('requires exactly the path params, with non-optional decoders', () => {
    // @ts-expect-error missing decoder for :id
    expect(() => route('/x/:id')).toThrow(/no decoder for :id/);
    // @ts-expect-error decoder for a param not in the path
    expect(() => route('/x/:id', { params: { id: param.int(), other: param.int() } })).toThrow(
      /params\.other is not in the path/,
    );
    // @ts-expect-error optional path param
    expect(() => route('/x/:id', { params: { id: param.int({ optional: true }) } })).toThrow(/cannot be optional/);
    // @ts-expect-error misspelt param
    expect(() => route('/x/:id', { params: { idd: param.int() } })).toThrow(/no decoder for :id/);
  });
});
