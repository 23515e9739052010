import { describe, expect, it } from 'vitest';
import { createRouter, param, route } from '../src/routing/index.js';

const router = createRouter({
  home: route('/', { query: { page: param.int({ min: 1, max: 1000, optional: true }) } }),
  post: route('/posts/:id', { params: { id: param.int({ min: 1, max: 1_000_000 }) } }),
  comments: route('/posts/:id/comments', { params: { id: param.int({ min: 1 }) } }),
  tag: route('/tags/:tag', { params: { tag: param.slug() } }),
  feed: route('/feed/:format', { params: { format: param.enum(['rss', 'atom'] as const) } }),
});

const badParam = (route: string, path: string, message: string | RegExp) => ({
  ok: false,
  reason: 'bad-param',
  route,
  errors: [{ path, message: typeof message === 'string' ? message : expect.stringMatching(message) }],
});

describe('router.parse: the examples', () => {
  it('matches a path param', () => {
    expect(router.parse('/posts/3')).toEqual({
      ok: true,
      destination: { route: 'post', params: { id: 3 }, query: {} },
    });
  });

  it('reports unknown paths as not-found with the path', () => {
    expect(router.parse('/nope')).toEqual({ ok: false, reason: 'not-found', path: '/nope' });
  });

  it('reports a param its decoder rejects as bad-param for the matched route', () => {
    expect(router.parse('/posts/abc')).toEqual(badParam('post', 'params.id', 'must be an integer'));
  });

  it('names the violated bound for query params', () => {
    expect(router.parse('/?page=0')).toEqual(badParam('home', 'query.page', 'must be ≥ 1'));
    expect(router.parse('/?page=1001')).toEqual(badParam('home', 'query.page', 'must be ≤ 1000'));
  });

  it('leaves a missing optional query key out of the destination', () => {
    const result = router.parse('/');
    expect(result).toEqual({ ok: true, destination: { route: 'home', params: {}, query: {} } });
    if (!result.ok) throw new Error('unreachable');
    expect(Object.keys(result.destination.query)).toEqual([]);
  });

  it('decodes a present optional query key', () => {
    expect(router.parse('/?page=7')).toEqual({
      ok: true,
      destination: { route: 'home', params: {}, query: { page: 7 } },
    });
  });

  it('matches enum values and rejects others', () => {
    expect(router.parse('/feed/atom')).toMatchObject({ ok: true, destination: { params: { format: 'atom' } } });
    expect(router.parse('/feed/json')).toEqual(badParam('feed', 'params.format', 'must be one of "rss", "atom"'));
    expect(router.parse('/feed/RSS')).toMatchObject({ ok: false, reason: 'bad-param' });
  });

  it('tries routes by segment count, so a longer path reaches the longer route', () => {
    expect(router.parse('/posts/5/comments')).toEqual({
      ok: true,
      destination: { route: 'comments', params: { id: 5 }, query: {} },
    });
  });
});

describe('router.parse: bad inputs', () => {
  it.each([
    ['/posts/03', 'must be an integer'],
    ['/posts/+3', 'must be an integer'],
    ['/posts/3.0', 'must be an integer'],
    ['/posts/1e3', 'must be an integer'],
    ['/posts/%203', 'must be an integer'],
    ['/posts/-0', 'must be an integer'],
    ['/posts/-1', 'must be ≥ 1'],
    ['/posts/0', 'must be ≥ 1'],
    ['/posts/1000001', 'must be ≤ 1000000'],
    ['/posts/99999999999999999999', 'must be ≤ 1000000'],
  ])('%s is bad-param (%s)', (url, message) => {
    expect(router.parse(url)).toEqual(badParam('post', 'params.id', message));
  });

  it('rejects integers beyond the safe range even without explicit bounds', () => {
    const r = createRouter({ n: route('/n/:n', { params: { n: param.int() } }) });
    expect(r.parse('/n/9007199254740991')).toMatchObject({
      ok: true,
      destination: { params: { n: 9007199254740991 } },
    });
    expect(r.parse('/n/9007199254740992')).toEqual(badParam('n', 'params.n', 'must be ≤ 9007199254740991'));
    expect(r.parse('/n/-9007199254740992')).toEqual(badParam('n', 'params.n', 'must be ≥ -9007199254740991'));
  });

  it('reports malformed percent-encoding in a param as bad-param, without throwing', () => {
    expect(router.parse('/posts/%E0%A4%A')).toEqual(badParam('post', 'params.id', /percent-encoding/));
    expect(router.parse('/tags/%')).toEqual(badParam('tag', 'params.tag', /percent-encoding/));
  });

  it('reports malformed percent-encoding where a literal is expected as not-found', () => {
    expect(router.parse('/%E0%A4%A/3')).toEqual({ ok: false, reason: 'not-found', path: '/%E0%A4%A/3' });
  });

  it('does not match extra segments', () => {
    expect(router.parse('/posts/3/extra')).toEqual({ ok: false, reason: 'not-found', path: '/posts/3/extra' });
  });

  it('decodes segments after splitting, so an encoded slash stays inside the slug and is refused', () => {
    expect(router.parse('/tags/a%2Fb')).toEqual(badParam('tag', 'params.tag', /letters, digits/));
  });

  it.each(['/tags/..', '/tags/.', '/tags/%2E%2E'])('refuses dot segments as params: %s', (url) => {
    expect(router.parse(url)).toEqual(badParam('tag', 'params.tag', 'must not be "." or ".."'));
  });

  it('does not collapse empty segments', () => {
    expect(router.parse('//posts/3')).toEqual({ ok: false, reason: 'not-found', path: '//posts/3' });
    expect(router.parse('/posts//3')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('//')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('/posts//comments')).toEqual(badParam('comments', 'params.id', 'must not be empty'));
  });

  it('treats "//host/path" as a path, never as another host', () => {
    expect(router.parse('//posts/3')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('//example.com/posts/3')).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('rejects relative paths and the empty string as not-found', () => {
    expect(router.parse('posts/3')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('')).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('compares static segments exactly', () => {
    expect(router.parse('/Posts/3')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('/posts%20/3')).toMatchObject({ ok: false, reason: 'not-found' });
  });
});

describe('router.parse: URL forms', () => {
  const post3 = { ok: true, destination: { route: 'post', params: { id: 3 }, query: {} } };

  it('ignores one trailing slash, but not on the root and not two', () => {
    expect(router.parse('/posts/3/')).toEqual(post3);
    expect(router.parse('/posts/3//')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('/')).toMatchObject({ ok: true, destination: { route: 'home' } });
  });

  it('ignores the hash, including a "?" inside it', () => {
    expect(router.parse('/posts/3#comments')).toEqual(post3);
    expect(router.parse('/#x?page=0')).toMatchObject({ ok: true, destination: { query: {} } });
    expect(router.parse('/?page=2#top')).toMatchObject({ ok: true, destination: { query: { page: 2 } } });
  });

  it('accepts URL objects and absolute URL strings, using only pathname and search', () => {
    expect(router.parse(new URL('https://example.com/posts/3?x=1#h'))).toEqual(post3);
    expect(router.parse('https://example.com/?page=4')).toMatchObject({
      ok: true,
      destination: { query: { page: 4 } },
    });
    expect(router.parse('http://[bad')).toMatchObject({ ok: false, reason: 'not-found' });
    expect(router.parse('javascript:alert(1)')).toMatchObject({ ok: false, reason: 'not-found' });
  });

  it('percent-decodes unicode slugs', () => {
    expect(router.parse('/tags/caf%C3%A9')).toMatchObject({ ok: true, destination: { params: { tag: 'café' } } });
    expect(router.parse(new URL('https://x.test/tags/日本語'))).toMatchObject({
      ok: true,
      destination: { params: { tag: '日本語' } },
    });
  });

  it('uses the first of repeated query keys and ignores unknown ones', () => {
    expect(router.parse('/?page=2&page=3&utm=x&page=abc')).toMatchObject({
      ok: true,
      destination: { query: { page: 2 } },
    });
  });

  it('never lets query keys reach Object.prototype', () => {
    const result = router.parse('/?constructor=1&__proto__=2&toString=3&hasOwnProperty=4');
    expect(result).toEqual({ ok: true, destination: { route: 'home', params: {}, query: {} } });
  });

  it('decodes "+" as a space and %2B as a plus in query values', () => {
    const r = createRouter({ s: route('/s', { query: { q: param.string() } }) });
    expect(r.parse('/s?q=a+b%2Bc')).toMatchObject({ ok: true, destination: { query: { q: 'a b+c' } } });
    expect(r.parse('/s?q%2B=x&q=y')).toMatchObject({ ok: true, destination: { query: { q: 'y' } } });
  });

  it('decodes query values with the same decoders, reporting malformed escapes', () => {
    expect(router.parse('/?page=%E0%A4%A')).toEqual(badParam('home', 'query.page', /percent-encoding/));
    expect(router.parse('/?page=')).toEqual(badParam('home', 'query.page', 'must be an integer'));
    expect(router.parse('/?page')).toEqual(badParam('home', 'query.page', 'must be an integer'));
  });
});

describe('router.parse: query presence', () => {
  const r = createRouter({
    search: route('/search', {
      query: {
        q: param.string({ maxLength: 20 }),
        sort: param.enum(['new', 'top'], { default: 'new' }),
        page: param.int({ min: 1, default: 1 }),
        lang: param.slug({ optional: true }),
      },
    }),
  });

  it('reports a missing required query param', () => {
    expect(r.parse('/search')).toEqual(badParam('search', 'query.q', 'is required'));
  });

  it('fills defaults so the key is always present', () => {
    expect(r.parse('/search?q=x')).toEqual({
      ok: true,
      destination: { route: 'search', params: {}, query: { q: 'x', sort: 'new', page: 1 } },
    });
  });

  it('reports every failing param, in declaration order', () => {
    expect(r.parse('/search?page=0&sort=old')).toEqual({
      ok: false,
      reason: 'bad-param',
      route: 'search',
      errors: [
        { path: 'query.q', message: 'is required' },
        { path: 'query.sort', message: 'must be one of "new", "top"' },
        { path: 'query.page', message: 'must be ≥ 1' },
      ],
    });
  });
});

describe('router.parse: matching order', () => {
  it('lets the first route whose literals and length match decide, even if its params fail', () => {
    const r = createRouter({
      byId: route('/items/:id', { params: { id: param.int() } }),
      new: route('/items/new'),
    });
    expect(r.parse('/items/new')).toEqual(badParam('byId', 'params.id', 'must be an integer'));
  });

  it('reaches a later static route when it is declared first', () => {
    const r = createRouter({
      new: route('/items/new'),
      byId: route('/items/:id', { params: { id: param.int() } }),
    });
    expect(r.parse('/items/new')).toMatchObject({ ok: true, destination: { route: 'new' } });
    expect(r.parse('/items/4')).toMatchObject({ ok: true, destination: { route: 'byId', params: { id: 4 } } });
  });

  it('matches percent-encoded static segments by their decoded text', () => {
    const r = createRouter({ cafe: route('/café/menu') });
    expect(r.parse('/caf%C3%A9/menu')).toMatchObject({ ok: true, destination: { route: 'cafe' } });
    expect(r.href({ route: 'cafe' })).toBe('/caf%C3%A9/menu');
  });
});
