/**
 * The prerender route option: what the server's build step reads from the route table. The
 * `@ts-expect-error` lines are checked by `tsc -p packages/core/tsconfig.json`.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createRouter, param, route, RouteDefinitionError } from '../src/routing/index.js';

describe('route({ prerender, entries })', () => {
  it('keeps the option on the route table, false unless asked', () => {
    const router = createRouter({
      home: route('/'),
      about: route('/about', { prerender: true }),
      doc: route('/docs/:slug', {
        params: { slug: param.slug() },
        prerender: true,
        entries: () => [{ slug: 'intro' }, { slug: 'api' }],
      }),
    });
    expect(router.table.home.prerender).toBe(false);
    expect(router.table.about.prerender).toBe(true);
    expect(router.table.about.entries).toBeUndefined();
    expect(router.table.doc.entries?.()).toEqual([{ slug: 'intro' }, { slug: 'api' }]);
    // Parsing and href are not affected by the option.
    expect(router.parse('/docs/api')).toEqual({
      ok: true,
      destination: { route: 'doc', params: { slug: 'api' }, query: {} },
    });
  });

  it('types entries by the decoded params: an int param is a number', () => {
    const post = route('/posts/:id', {
      params: { id: param.int({ min: 1 }) },
      prerender: true,
      entries: async () => [{ id: 1 }, { id: 2 }],
    });
    expectTypeOf(post.entries).toEqualTypeOf<
      (() => Iterable<{ readonly id: number }> | Promise<Iterable<{ readonly id: number }>>) | undefined
    >();
    // @ts-expect-error -- the id is decoded as a number, so entries must give numbers
    route('/posts/:id', { params: { id: param.int() }, prerender: true, entries: () => [{ id: '1' }] });
  });

  it('refuses options that cannot mean anything, naming the route', () => {
    const bad = [
      () => route('/docs/:slug', { params: { slug: param.slug() }, entries: () => [] }),
      // @ts-expect-error -- a route without path params has one page: there is nothing to list
      () => route('/about', { prerender: true, entries: () => [] }),
      // @ts-expect-error -- prerender is a boolean
      () => route('/about', { prerender: 'yes' }),
      () =>
        // @ts-expect-error -- entries is a function
        route('/docs/:slug', { params: { slug: param.slug() }, prerender: true, entries: [{ slug: 'a' }] }),
    ];
    const messages = bad.map((define) => {
      try {
        define();
      } catch (error) {
        expect(error).toBeInstanceOf(RouteDefinitionError);
        return (error as Error).message;
      }
      return 'accepted';
    });
    expect(messages).toEqual([
      expect.stringContaining('route("/docs/:slug"): entries needs prerender: true'),
      expect.stringContaining('route("/about"): entries is for routes with path params'),
      expect.stringContaining('route("/about"): prerender must be a boolean'),
      expect.stringContaining('route("/docs/:slug"): entries must be a function'),
    ]);
  });
});
