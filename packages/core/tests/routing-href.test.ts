import { describe, expect, it } from 'vitest';
import { createRouter, param, route, type DecodeResult, type HrefInput } from '../src/routing/index.js';

const router = createRouter({
  home: route('/', { query: { page: param.int({ min: 1, max: 1000, optional: true }) } }),
  post: route('/posts/:id', { params: { id: param.int({ min: 1, max: 1_000_000 }) } }),
  comments: route('/posts/:id/comments', { params: { id: param.int({ min: 1 }) } }),
  tag: route('/tags/:tag', { params: { tag: param.slug() } }),
  search: route('/search/:scope', {
    params: { scope: param.string() },
    query: {
      q: param.string(),
      sort: param.enum(['new', 'top'], { default: 'new' }),
      lang: param.slug({ optional: true }),
    },
  }),
});
type AnyInput = HrefInput<typeof router.table>;

describe('router.href', () => {
  it('builds the canonical path', () => {
    expect(router.href({ route: 'post', params: { id: 3 }, query: {} })).toBe('/posts/3');
    expect(router.href({ route: 'post', params: { id: 3 } })).toBe('/posts/3');
    expect(router.href({ route: 'comments', params: { id: 3 } })).toBe('/posts/3/comments');
    expect(router.href({ route: 'home' })).toBe('/');
    expect(router.href({ route: 'home', params: {}, query: {} })).toBe('/');
  });

  it('adds defined query values in declaration order, whatever the object order', () => {
    expect(router.href({ route: 'home', query: { page: 2 } })).toBe('/?page=2');
    expect(router.href({ route: 'search', params: { scope: 'all' }, query: { lang: 'en', sort: 'top', q: 'x' } })).toBe(
      '/search/all?q=x&sort=top&lang=en',
    );
  });

  it('leaves out undefined optional values and values equal to the default', () => {
    expect(router.href({ route: 'home', query: { page: undefined } })).toBe('/');
    expect(router.href({ route: 'search', params: { scope: 'a' }, query: { q: 'x', sort: 'new' } })).toBe(
      '/search/a?q=x',
    );
  });

  it('percent-encodes path segments and form-encodes query values', () => {
    expect(router.href({ route: 'search', params: { scope: 'a/b c?#%' }, query: { q: 'a b&c=d+e' } })).toBe(
      '/search/a%2Fb%20c%3F%23%25?q=a+b%26c%3Dd%2Be',
    );
    expect(router.href({ route: 'tag', params: { tag: '日本' } })).toBe('/tags/%E6%97%A5%E6%9C%AC');
  });

  it('throws a clear error for an unknown route', () => {
    expect(() => router.href({ route: 'nope' } as unknown as AnyInput)).toThrow('router.href: unknown route "nope"');
    expect(() => router.href({ route: 'toString' } as unknown as AnyInput)).toThrow(/unknown route/);
    expect(() => router.href(null as unknown as AnyInput)).toThrow(/unknown route/);
  });

  it('throws when a param does not satisfy its decoder', () => {
    expect(() => router.href({ route: 'post', params: { id: 0 } })).toThrow(
      'router.href("post"): params.id must be ≥ 1',
    );
    expect(() => router.href({ route: 'post', params: { id: 2_000_000 } })).toThrow(/params\.id must be ≤ 1000000/);
    expect(() => router.href({ route: 'post', params: { id: 1.5 } })).toThrow(/params\.id must be an integer/);
    expect(() => router.href({ route: 'post', params: { id: Number.NaN } })).toThrow(/params\.id/);
    expect(() => router.href({ route: 'tag', params: { tag: 'a b' } })).toThrow(/params\.tag may contain only/);
    expect(() => router.href({ route: 'home', query: { page: 0 } })).toThrow(/query\.page must be ≥ 1/);
  });

  it('throws when a required value is missing', () => {
    expect(() => router.href({ route: 'post' } as unknown as AnyInput)).toThrow(/params\.id is missing/);
    expect(() => router.href({ route: 'search', params: { scope: 'a' } } as unknown as AnyInput)).toThrow(
      /query\.q is required/,
    );
  });

  it('refuses path values that a browser would drop or resolve away', () => {
    for (const scope of ['.', '..']) {
      expect(() => router.href({ route: 'search', params: { scope }, query: { q: 'x' } })).toThrow(
        /must not be "\." or "\.\."/,
      );
    }
  });

  it('refuses strings that cannot be put in a URL', () => {
    expect(() => router.href({ route: 'search', params: { scope: '\uD800' }, query: { q: 'x' } })).toThrow(
      /well-formed/,
    );
    expect(() => router.href({ route: 'search', params: { scope: 'a' }, query: { q: 'x\uDFFF' } })).toThrow(
      /well-formed/,
    );
  });

  it('writes -0 as 0 rather than refusing it, since arithmetic produces it easily', () => {
    expect(router.href({ route: 'home', query: { page: Math.round(1.2) } })).toBe('/?page=1');
    const r = createRouter({ n: route('/n/:n', { params: { n: param.int() } }) });
    expect(r.href({ route: 'n', params: { n: -0 } })).toBe('/n/0');
  });

  it('refuses values that do not survive encode/decode', () => {
    const lossy = createRouter({
      r: route('/r/:n', {
        params: {
          n: {
            decode: (raw: string): DecodeResult<number> => ({ ok: true, value: Math.round(Number(raw)) }),
            encode: (n: number) => String(n),
          },
        },
      }),
    });
    expect(lossy.href({ route: 'r', params: { n: 2 } })).toBe('/r/2');
    expect(() => lossy.href({ route: 'r', params: { n: 2.5 } })).toThrow(/does not round-trip/);
  });

  it('reports a throwing encoder as an href error', () => {
    const broken = createRouter({
      r: route('/r/:x', {
        params: {
          x: param.custom({
            decode: (raw): DecodeResult<string> => ({ ok: true, value: raw }),
            encode: (): string => {
              throw new Error('kaput');
            },
          }),
        },
      }),
    });
    expect(() => broken.href({ route: 'r', params: { x: 'a' } })).toThrow(/params\.x cannot be encoded \(kaput\)/);
  });

  it('ignores inherited properties of the params object', () => {
    const params = Object.create({ id: 3 }) as { id: number };
    expect(() => router.href({ route: 'post', params })).toThrow(/params\.id is missing/);
  });
});

describe('createRouter and route definitions', () => {
  it('exposes route names in declaration order', () => {
    expect(router.routes).toEqual(['home', 'post', 'comments', 'tag', 'search']);
  });

  it.each([
    ['posts', /must start with "\/"/],
    ['/posts/', /invalid segment ""/],
    ['//posts', /invalid segment ""/],
    ['/a/../b', /invalid segment "\.\."/],
    ['/a%20b', /invalid segment/],
    ['/a?b', /invalid segment/],
    ['/:', /invalid param name/],
    ['/:a-b', /invalid param name/],
  ])('refuses the pattern %j', (path, error) => {
    expect(() => route(path as '/')).toThrow(error);
  });

  it('refuses duplicate params, missing decoders and decoders for absent params', () => {
    const int = param.int();
    expect(() => route('/:a/:a', { params: { a: int } })).toThrow(/duplicate param :a/);
    expect(() => route('/x/:id' as '/x', {})).toThrow(/no decoder for :id/);
    expect(() => route('/x', { params: { id: int } as {} })).toThrow(/params\.id is not in the path/);
  });

  it('refuses optional or defaulted path params', () => {
    const optional = param.int({ optional: true }) as ReturnType<typeof param.int>;
    const defaulted = param.int({ default: 1 }) as ReturnType<typeof param.int>;
    expect(() => route('/x/:id', { params: { id: optional } })).toThrow(/cannot be optional/);
    expect(() => route('/x/:id', { params: { id: defaulted } })).toThrow(/cannot be optional/);
  });

  it('refuses table entries that are not routes', () => {
    expect(() => createRouter({ bad: {} as ReturnType<typeof route<'/'>> })).toThrow(
      /"bad" is not a route\(\) definition/,
    );
  });
});
