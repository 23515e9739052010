import { describe, expect, expectTypeOf, it } from 'vitest';
import { createRouter, param, route, type DestinationOf } from '../src/routing/index.js';

const router = createRouter({
  docsHome: route('/docs/index'),
  docs: route('/docs/*path', { params: { path: param.string() } }),
  file: route('/files/:owner/*rest', { params: { owner: param.slug(), rest: param.string() } }),
});
const root = createRouter({ any: route('/*rest', { params: { rest: param.string() } }) });

const docs = (path: string) => ({ ok: true, destination: { route: 'docs', params: { path }, query: {} } });
const badParam = (route: string, path: string, message: string) => ({
  ok: false,
  reason: 'bad-param',
  route,
  errors: [{ path, message }],
});

describe('wildcard segments', () => {
  it('take the rest of the path as one value, each segment percent-decoded', () => {
    expect(router.parse('/docs/guide/intro')).toEqual(docs('guide/intro'));
    expect(router.parse('/docs/a%20b/%C3%A9t%C3%A9/100%25')).toEqual(docs('a b/été/100%'));
    expect(router.parse('/docs/one')).toEqual(docs('one'));
    expect(router.parse('/files/ada/src/main.ts')).toEqual({
      ok: true,
      destination: { route: 'file', params: { owner: 'ada', rest: 'src/main.ts' }, query: {} },
    });
    expectTypeOf<Extract<DestinationOf<typeof router>, { route: 'docs' }>['params']>().toEqualTypeOf<{
      path: string;
    }>();
  });

  it('match one segment or more, after routes declared before them', () => {
    expect(router.parse('/docs')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('/docs/')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('/docs/index')).toMatchObject({ ok: true, destination: { route: 'docsHome' } });
    expect(router.parse('/docs/index/more')).toEqual(docs('index/more'));
  });

  it('write each "/"-separated part as its own encoded segment', () => {
    expect(router.href({ route: 'docs', params: { path: 'a b/été/100%' } })).toBe('/docs/a%20b/%C3%A9t%C3%A9/100%25');
    expect(router.href({ route: 'docs', params: { path: 'a?b#c' } })).toBe('/docs/a%3Fb%23c');
    expect(router.href({ route: 'file', params: { owner: 'ada', rest: 'src/main.ts' } })).toBe(
      '/files/ada/src/main.ts',
    );
  });

  it('keep empty segments in both directions', () => {
    expect(router.parse('/docs/a//b')).toEqual(docs('a//b'));
    expect(router.parse('/docs//a')).toEqual(docs('/a'));
    expect(router.parse('/docs/a//')).toEqual(docs('a//'));
    for (const path of ['a//b', '/a', 'a//', '/', '//']) {
      expect(router.parse(router.href({ route: 'docs', params: { path } }))).toEqual(docs(path));
    }
  });

  it('treat an encoded "/" as a separator, so each value has one canonical URL', () => {
    expect(router.parse('/docs/a%2Fb')).toEqual(docs('a/b'));
    expect(router.href({ route: 'docs', params: { path: 'a/b' } })).toBe('/docs/a/b');
  });

  it('refuse values that a URL cannot carry back unchanged', () => {
    expect(router.parse('/docs/a/%2E/b')).toEqual(
      badParam('docs', 'params.path', 'must not contain "." or ".." segments'),
    );
    expect(router.parse('/docs/a%2F')).toEqual(badParam('docs', 'params.path', 'must not end with a single "/"'));
    expect(router.parse('/docs/a/%E0%A4%A')).toEqual(badParam('docs', 'params.path', 'has malformed percent-encoding'));
    const href = (path: string) => () => router.href({ route: 'docs', params: { path } });
    expect(href('')).toThrow('router.href("docs"): params.path must not be empty');
    expect(href('a/../b')).toThrow(/params\.path must not contain "\." or "\.\." segments/);
    expect(href('a/')).toThrow(/params\.path must not end with a single "\/"/);
    expect(href('\ud800')).toThrow(/params\.path must be well-formed Unicode/);
  });

  it('never produce or accept a protocol-relative URL at the root', () => {
    expect(root.parse('/x/y')).toMatchObject({ ok: true, destination: { params: { rest: 'x/y' } } });
    expect(root.parse('//evil.example/x')).toEqual(badParam('any', 'params.rest', 'must not start with "/"'));
    expect(() => root.href({ route: 'any', params: { rest: '/evil.example' } })).toThrow(/must not start with "\/"/);
    // Under a static segment a leading "/" is only an empty segment.
    expect(router.href({ route: 'docs', params: { path: '/evil.example' } })).toBe('/docs//evil.example');
  });

  it('must be the last segment of a route, with a decoder like any path param', () => {
    expect(() => route('/docs/*path/edit', { params: { path: param.string() } } as never)).toThrow(
      'route("/docs/*path/edit"): the wildcard *path must be the last segment',
    );
    expect(() => route('/:a/*a', { params: { a: param.string() } })).toThrow(/duplicate param \*a/);
    expect(() => route('/docs/*', {} as never)).toThrow(/invalid param name "\*"/);
    // @ts-expect-error the wildcard needs a decoder
    expect(() => route('/docs/*path')).toThrow(/no decoder for \*path/);
  });
});
