import { describe, expect, it } from 'vitest';
import { createRouter, param, route, type RouteTable } from '../src/routing/index.js';

const table = {
  home: route('/', { query: { page: param.int({ min: 1, optional: true }) } }),
  post: route('/posts/:id', { params: { id: param.int({ min: 1 }) } }),
  docs: route('/docs/*path', { params: { path: param.string() } }),
} satisfies RouteTable;
const router = createRouter(table, { base: '/blog' });

describe('a router mounted under a base path', () => {
  it('parses URLs below the base, with the base stripped', () => {
    expect(router.parse('/blog/posts/3')).toEqual({
      ok: true,
      destination: { route: 'post', params: { id: 3 }, query: {} },
    });
    expect(router.parse('https://example.com/blog/docs/a/b?x=1')).toMatchObject({
      ok: true,
      destination: { route: 'docs', params: { path: 'a/b' } },
    });
    expect(router.parse('/blog/?page=2')).toMatchObject({
      ok: true,
      destination: { route: 'home', query: { page: 2 } },
    });
  });

  it('takes the base itself, with or without a trailing slash, as the root route', () => {
    for (const url of ['/blog', '/blog/']) {
      expect(router.parse(url)).toEqual({ ok: true, destination: { route: 'home', params: {}, query: {} } });
    }
  });

  it('does not match URLs outside the base', () => {
    for (const url of ['/', '/posts/3', '/blogs/posts/3', '/blo', '/x/blog/posts/3']) {
      expect(router.parse(url)).toEqual({ ok: false, reason: 'not-found', path: url });
    }
  });

  it('reports a bad param under the base as for any router', () => {
    expect(router.parse('/blog/posts/0')).toMatchObject({ ok: false, reason: 'bad-param', route: 'post' });
  });

  it('starts every href with the base', () => {
    expect(router.base).toBe('/blog');
    expect(router.href({ route: 'home' })).toBe('/blog');
    expect(router.href({ route: 'home', query: { page: 2 } })).toBe('/blog?page=2');
    expect(router.href({ route: 'post', params: { id: 3 } })).toBe('/blog/posts/3');
    expect(router.href({ route: 'docs', params: { path: '/a' } })).toBe('/blog/docs//a');
    expect(router.parse(router.href({ route: 'docs', params: { path: '/a' } }))).toMatchObject({
      ok: true,
      destination: { params: { path: '/a' } },
    });
  });

  it('accepts a multi-segment, non-ASCII base and compares it decoded', () => {
    const nested = createRouter(table, { base: '/sites/café' });
    expect(nested.base).toBe('/sites/caf%C3%A9');
    expect(nested.href({ route: 'post', params: { id: 1 } })).toBe('/sites/caf%C3%A9/posts/1');
    expect(nested.parse('/sites/caf%C3%A9/posts/1')).toMatchObject({ ok: true, destination: { route: 'post' } });
  });

  it('lets a root wildcard take a leading empty segment, since the base comes first', () => {
    const all = createRouter({ any: route('/*rest', { params: { rest: param.string() } }) }, { base: '/app' });
    expect(all.href({ route: 'any', params: { rest: '/x' } })).toBe('/app//x');
    expect(all.parse('/app//x')).toMatchObject({ ok: true, destination: { params: { rest: '/x' } } });
  });

  it('treats no base, "" and "/" alike', () => {
    for (const base of [undefined, '', '/']) {
      const plain = createRouter(table, base === undefined ? {} : { base });
      expect(plain.base).toBe('');
      expect(plain.href({ route: 'post', params: { id: 3 } })).toBe('/posts/3');
      expect(plain.parse('/posts/3')).toMatchObject({ ok: true });
    }
  });

  it('refuses a base that is not a plain absolute path', () => {
    expect(() => createRouter(table, { base: 'blog' })).toThrow('createRouter: base "blog" must start with "/"');
    expect(() => createRouter(table, { base: '/blog/' })).toThrow(/base "\/blog\/" must not end with "\/"/);
    expect(() => createRouter(table, { base: '/:lang' })).toThrow(/base "\/:lang" must not contain params/);
    expect(() => createRouter(table, { base: '/a//b' })).toThrow(/invalid segment ""/);
    expect(() => createRouter(table, { base: '/a?b' })).toThrow(/invalid segment "a\?b"/);
  });
});
