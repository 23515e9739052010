import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRouter, param, route, type DestinationOf } from '../src/routing/index.js';

const router = createRouter({
  home: route('/', { query: { page: param.int({ min: 1, max: 1000, optional: true }) } }),
  post: route('/posts/:id', { params: { id: param.int({ min: 1, max: 1_000_000 }) } }),
  tag: route('/tags/:tag', { params: { tag: param.slug({ maxLength: 40 }) } }),
  feed: route('/feed/:format', { params: { format: param.enum(['rss', 'atom']) } }),
  note: route('/u/:user/notes/:title', {
    params: { user: param.slug(), title: param.string({ maxLength: 60 }) },
    query: {
      q: param.string({ optional: true }),
      n: param.int({ optional: true }),
      sort: param.enum(['new', 'top', 'old'], { default: 'new' }),
      tag: param.slug({ optional: true }),
      tags: param.array(param.slug({ maxLength: 10 }), { maxItems: 5 }),
      draft: param.boolean({ optional: true }),
    },
  }),
  docs: route('/docs/*path', { params: { path: param.string({ maxLength: 300 }) } }),
});
// The same table mounted under a base path with a character that needs encoding.
const based = createRouter(router.table, { base: '/b/ä' });
type Destination = DestinationOf<typeof router>;

// Characters that URL syntax gives a meaning to, plus unicode from several planes.
const tricky = [
  '%',
  '?',
  '#',
  '&',
  '=',
  '+',
  ' ',
  '/',
  '\\',
  ';',
  ':',
  '@',
  "'",
  '"',
  '<',
  '.',
  '\n',
  '\u0000',
  '😀',
  'é',
  '日',
  '\u0301',
  '\u200B',
  '%25',
  '%2F',
  '%E0%A4%A',
];
const trickyString = (maxLength: number) =>
  fc.oneof(
    fc.string({ unit: 'binary', minLength: 1, maxLength }),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: Math.floor(maxLength / 2) }),
    fc
      .array(fc.constantFrom(...tricky), { minLength: 1, maxLength: Math.floor(maxLength / 4) })
      .map((parts) => parts.join('')),
  );
const slugChar = fc.constantFrom(
  'a',
  'z',
  'Z',
  '0',
  '9',
  '-',
  '_',
  '.',
  'é',
  'ß',
  'Ж',
  'λ',
  '日',
  '本',
  '١',
  'ก',
  'न',
  '\u093F',
  '𝒜',
);
const slug = (maxLength: number) =>
  fc
    .array(slugChar, { minLength: 1, maxLength })
    .map((chars) => chars.join(''))
    .filter((s) => s !== '.' && s !== '..');
// "." and ".." cannot be path segments (browsers resolve them), so they are not valid path values.
const pathString = trickyString(60).filter((s) => s !== '.' && s !== '..');
// Wildcard values: "/"-separated parts, including empty ones, but none that a URL resolves away
// ("." or "..") and no single trailing "/" (the parser ignores one, as for any path).
const restString = fc
  .array(fc.oneof(fc.constant(''), trickyString(20)), { minLength: 1, maxLength: 5 })
  .map((parts) => parts.join('/'))
  .filter(
    (s) =>
      s !== '' &&
      !s.split('/').some((part) => part === '.' || part === '..') &&
      !(s.endsWith('/') && !s.endsWith('//') && s !== '/'),
  );

const destination: fc.Arbitrary<Destination> = fc.oneof(
  fc.record({
    route: fc.constant('home' as const),
    params: fc.constant({}),
    query: fc.record({ page: fc.integer({ min: 1, max: 1000 }) }, { requiredKeys: [] }),
  }),
  fc.record({
    route: fc.constant('post' as const),
    params: fc.record({ id: fc.integer({ min: 1, max: 1_000_000 }) }),
    query: fc.constant({}),
  }),
  fc.record({ route: fc.constant('tag' as const), params: fc.record({ tag: slug(40) }), query: fc.constant({}) }),
  fc.record({
    route: fc.constant('feed' as const),
    params: fc.record({ format: fc.constantFrom('rss' as const, 'atom' as const) }),
    query: fc.constant({}),
  }),
  fc.record({
    route: fc.constant('note' as const),
    params: fc.record({ user: slug(30), title: pathString }),
    query: fc.record(
      {
        q: trickyString(40),
        // `+ 0` turns -0 into 0: decoders never produce -0, so it is not a destination parse can return.
        n: fc.maxSafeInteger().chain((n) => fc.constantFrom(n, -n + 0, 0)),
        sort: fc.constantFrom('new' as const, 'top' as const, 'old' as const),
        tag: slug(10),
        tags: fc.array(slug(10), { maxLength: 5 }),
        draft: fc.boolean(),
      },
      { requiredKeys: ['sort', 'tags'] },
    ),
  }),
  fc.record({ route: fc.constant('docs' as const), params: fc.record({ path: restString }), query: fc.constant({}) }),
);

describe('routing properties', () => {
  it('parse(href(d)) gives back d for every valid destination', () => {
    fc.assert(
      fc.property(destination, (d) => {
        expect(router.parse(router.href(d))).toEqual({ ok: true, destination: d });
      }),
      { numRuns: 2000 },
    );
  });

  it('the href survives the WHATWG URL parser unchanged', () => {
    fc.assert(
      fc.property(destination, (d) => {
        for (const r of [router, based]) {
          const href = r.href(d);
          const url = new URL(href, 'https://example.com');
          expect(url.pathname + url.search).toBe(href);
          expect(r.parse(url)).toEqual({ ok: true, destination: d });
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('under a base path, href is the base plus the unmounted href, and parses back', () => {
    fc.assert(
      fc.property(destination, (d) => {
        const href = based.href(d);
        const plain = router.href(d);
        // The root href "/" becomes the bare base: "/b/%C3%A4", "/b/%C3%A4?page=2".
        expect(href).toBe(`/b/%C3%A4${plain === '/' || plain.startsWith('/?') ? plain.slice(1) : plain}`);
        expect(based.parse(href)).toEqual({ ok: true, destination: d });
        expect(based.parse(plain)).toMatchObject({ ok: false, reason: 'not-found' });
      }),
      { numRuns: 1000 },
    );
  });

  it('a wildcard value either round-trips or href refuses it with a params.path error', () => {
    fc.assert(
      fc.property(fc.oneof(restString, fc.string({ unit: 'binary' }), trickyString(30)), (path) => {
        let href: string;
        try {
          href = router.href({ route: 'docs', params: { path } });
        } catch (error) {
          expect((error as Error).message).toMatch(/^router\.href\("docs"\): params\.path /);
          return;
        }
        expect(router.parse(href)).toEqual({ ok: true, destination: { route: 'docs', params: { path }, query: {} } });
      }),
      { numRuns: 2000 },
    );
  });

  // Mostly near-misses of real routes, so that all three outcomes are exercised.
  const segment = fc.oneof(
    fc.constantFrom(
      'posts',
      'tags',
      'feed',
      'rss',
      'atom',
      'u',
      'notes',
      'docs',
      'true',
      'on',
      'yes',
      '',
      '.',
      '..',
      '%',
      '%2F',
      '%E0%A4%A',
      '%C3%A9',
    ),
    fc.integer({ min: -10, max: 2_000_000 }).map(String),
    slug(8),
    trickyString(8),
    trickyString(8).map(encodeURIComponent),
  );
  const routeShaped = fc.oneof(
    fc.tuple(fc.constant('posts'), segment),
    fc.tuple(fc.constant('tags'), segment),
    fc.tuple(fc.constant('feed'), fc.oneof(fc.constantFrom('rss', 'atom'), segment)),
    fc.tuple(fc.constant('u'), segment, fc.constant('notes'), segment),
    fc.array(segment, { minLength: 1, maxLength: 4 }).map((rest) => ['docs', ...rest]),
  );
  const queryPair = fc.tuple(
    fc.constantFrom('page', 'q', 'n', 'sort', 'tag', 'tags', 'draft', '__proto__', 'constructor', ''),
    segment,
  );
  const structured = fc
    .tuple(
      fc.oneof(fc.array(segment, { maxLength: 5 }), routeShaped),
      fc.array(queryPair, { maxLength: 4 }),
      fc.option(fc.string({ unit: 'binary', maxLength: 5 })),
      fc.boolean(),
    )
    .map(([segments, pairs, hash, trailing]) => {
      const path = `/${segments.join('/')}${trailing ? '/' : ''}`;
      const query = pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
      return path + query + (hash === null ? '' : `#${hash}`);
    });
  const urlish = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: 'grapheme' }),
    fc.webPath(),
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    structured,
    structured,
    structured,
  );

  it('the generated URLs reach every outcome, so the properties below are not vacuous', () => {
    const outcomes = new Set(
      fc.sample(structured, { numRuns: 2000, seed: 1 }).map((url) => {
        const result = router.parse(url);
        return result.ok ? `ok:${result.destination.route}` : result.reason;
      }),
    );
    expect([...outcomes].sort()).toEqual([
      'bad-param',
      'not-found',
      'ok:docs',
      'ok:feed',
      'ok:home',
      'ok:note',
      'ok:post',
      'ok:tag',
    ]);
  });

  it('parse never throws and always returns one of the three outcomes', () => {
    fc.assert(
      fc.property(urlish, (input) => {
        const result = router.parse(input);
        if (result.ok) expect(router.routes).toContain(result.destination.route);
        else if (result.reason === 'bad-param') expect(result.errors.length).toBeGreaterThan(0);
        else expect(result.reason).toBe('not-found');
      }),
      { numRuns: 3000 },
    );
  });

  it('any URL that parses has a canonical href that parses to the same destination', () => {
    fc.assert(
      fc.property(urlish, (input) => {
        const result = router.parse(input);
        if (!result.ok) return;
        expect(router.parse(router.href(result.destination))).toEqual(result);
        expect(based.parse(based.href(result.destination))).toEqual(result);
      }),
      { numRuns: 3000 },
    );
  });

  it('param.int accepts exactly the canonical spelling of each integer in range', () => {
    const int = param.int({ min: -1000, max: 1000 });
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1000, max: 1000 }).map(String), fc.string({ unit: 'binary-ascii', maxLength: 6 })),
        (raw) => {
          const result = int.decode(raw);
          if (result.ok) expect(String(result.value)).toBe(raw);
          else expect(/^-?[1-9][0-9]{0,2}$|^0$|^-?1000$/.test(raw)).toBe(false);
        },
      ),
    );
  });
});
