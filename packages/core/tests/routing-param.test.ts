import { describe, expect, it } from 'vitest';
import { createRouter, param, route, type DecodeResult, type ParamDecoder } from '../src/routing/index.js';

const value = <T>(result: DecodeResult<T>) => (result.ok ? result.value : `error: ${result.message}`);

describe('param.int', () => {
  const int = param.int({ min: -5, max: 100 });

  it('accepts canonical decimal integers within the bounds', () => {
    expect(value(int.decode('0'))).toBe(0);
    expect(value(int.decode('-5'))).toBe(-5);
    expect(value(int.decode('100'))).toBe(100);
  });

  it.each(['', ' 3', '3 ', '03', '+3', '3.0', '1e3', '0x10', '١', '-', '--1', 'Infinity', 'NaN', '-0'])(
    'rejects the non-canonical %j',
    (raw) => {
      expect(int.decode(raw)).toEqual({ ok: false, message: 'must be an integer' });
    },
  );

  it('says which bound was violated', () => {
    expect(int.decode('-6')).toEqual({ ok: false, message: 'must be ≥ -5' });
    expect(int.decode('101')).toEqual({ ok: false, message: 'must be ≤ 100' });
  });

  it('refuses impossible bounds at definition time', () => {
    expect(() => param.int({ min: 2, max: 1 })).toThrow(/min ≤ max/);
    expect(() => param.int({ min: 0.5 })).toThrow(/safe integers/);
    expect(() => param.int({ max: 2 ** 60 })).toThrow(/safe integers/);
  });

  it('refuses a default outside its own bounds', () => {
    expect(() => param.int({ min: 1, default: 0 })).toThrow(/default/);
    expect(param.int({ min: 1, default: 1 }).default).toBe(1);
  });

  it('marks optional decoders', () => {
    expect(param.int({ optional: true }).optional).toBe(true);
    expect(param.int().optional).toBeUndefined();
  });
});

describe('param.slug', () => {
  const slug = param.slug();

  it.each(['hello-world', 'a_b.c', 'café', '日本語', 'Ünïcödé-2', 'नमस्ते', '..a', 'v1.2'])('accepts %j', (raw) => {
    expect(value(slug.decode(raw))).toBe(raw);
  });

  it.each([
    ['', 'must not be empty'],
    ['.', 'must not be "." or ".."'],
    ['..', 'must not be "." or ".."'],
    ['a/b', /letters, digits/],
    ['a b', /letters, digits/],
    ['a\tb', /letters, digits/],
    ['a\u0000b', /letters, digits/],
    ['a?b', /letters, digits/],
    ['a%b', /letters, digits/],
    ['😀', /letters, digits/],
    ['\uD800', 'must be well-formed Unicode'],
  ])('rejects %j', (raw, message) => {
    const result = slug.decode(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it('limits length in characters (code points), 200 by default', () => {
    expect(slug.decode('a'.repeat(200)).ok).toBe(true);
    expect(slug.decode('a'.repeat(201))).toEqual({ ok: false, message: 'must be at most 200 characters' });
    expect(param.slug({ maxLength: 3 }).decode('日本語').ok).toBe(true);
    expect(param.slug({ maxLength: 3 }).decode('日本語x').ok).toBe(false);
  });

  it('percent-encodes in paths through the router', () => {
    const r = createRouter({ tag: route('/tags/:tag', { params: { tag: slug } }) });
    expect(r.href({ route: 'tag', params: { tag: 'café' } })).toBe('/tags/caf%C3%A9');
  });
});

describe('param.string', () => {
  it('accepts any non-empty well-formed string up to maxLength', () => {
    const s = param.string({ maxLength: 5 });
    expect(value(s.decode('a /?#'))).toBe('a /?#');
    expect(value(s.decode('😀😀😀😀😀'))).toBe('😀😀😀😀😀');
    expect(s.decode('abcdef')).toEqual({ ok: false, message: 'must be at most 5 characters' });
    expect(s.decode('')).toEqual({ ok: false, message: 'must not be empty' });
    expect(s.decode('a\uDC00')).toEqual({ ok: false, message: 'must be well-formed Unicode' });
  });

  it('defaults maxLength to 1000', () => {
    expect(param.string().decode('x'.repeat(1000)).ok).toBe(true);
    expect(param.string().decode('x'.repeat(1001)).ok).toBe(false);
  });

  it('refuses a nonsensical maxLength', () => {
    expect(() => param.string({ maxLength: 0 })).toThrow(/maxLength/);
    expect(() => param.slug({ maxLength: 1.5 })).toThrow(/maxLength/);
  });
});

describe('param.enum', () => {
  it('accepts exactly the listed values', () => {
    const e = param.enum(['rss', 'atom']);
    expect(value(e.decode('rss'))).toBe('rss');
    expect(e.decode('toString')).toEqual({ ok: false, message: 'must be one of "rss", "atom"' });
  });

  it('refuses empty or duplicate value lists', () => {
    expect(() => param.enum([] as unknown as ['x'])).toThrow(/at least one/);
    expect(() => param.enum(['a', 'a'])).toThrow(/distinct/);
  });
});

describe('param.boolean', () => {
  const flag = param.boolean();

  it('accepts the documented spellings and writes "true" or "false"', () => {
    for (const raw of ['true', '1', 'on']) expect(value(flag.decode(raw))).toBe(true);
    for (const raw of ['false', '0', 'off']) expect(value(flag.decode(raw))).toBe(false);
    expect(flag.encode(true)).toBe('true');
    expect(flag.encode(false)).toBe('false');
  });

  it.each(['', 'TRUE', 'True', 'yes', 'no', 'y', '2', ' true', 'true ', '01'])('rejects %j', (raw) => {
    expect(flag.decode(raw)).toEqual({ ok: false, message: 'must be one of "true", "false", "1", "0", "on", "off"' });
  });

  it('is a bad param (400) in a URL, with the accepted spellings in the message', () => {
    const router = createRouter({
      list: route('/posts', { query: { drafts: param.boolean({ default: false }) } }),
      toggle: route('/flags/:on', { params: { on: param.boolean() } }),
    });
    expect(router.parse('/posts?drafts=on')).toMatchObject({ ok: true, destination: { query: { drafts: true } } });
    expect(router.parse('/posts')).toMatchObject({ ok: true, destination: { query: { drafts: false } } });
    expect(router.parse('/posts?drafts=yes')).toEqual({
      ok: false,
      reason: 'bad-param',
      route: 'list',
      errors: [{ path: 'query.drafts', message: 'must be one of "true", "false", "1", "0", "on", "off"' }],
    });
    expect(router.href({ route: 'list', query: { drafts: true } })).toBe('/posts?drafts=true');
    expect(router.href({ route: 'list', query: { drafts: false } })).toBe('/posts');
    expect(router.parse('/flags/0')).toMatchObject({ ok: true, destination: { params: { on: false } } });
    expect(router.href({ route: 'toggle', params: { on: false } })).toBe('/flags/false');
  });
});

describe('param.array', () => {
  it('refuses an item decoder that is missing, optional or defaulted, and a bad maxItems', () => {
    expect(() => param.array(undefined as unknown as ParamDecoder)).toThrow(
      'param.array: needs a decoder for the items',
    );
    expect(() => param.array(param.slug({ optional: true }))).toThrow(/cannot be optional or have a default/);
    expect(() => param.array(param.int({ default: 1 }))).toThrow(/cannot be optional or have a default/);
    expect(() => param.array(param.slug(), { maxItems: 0 })).toThrow(
      'param.array: maxItems must be a positive integer',
    );
  });

  it('is for query params only', () => {
    // @ts-expect-error a path segment holds one value
    expect(() => route('/tags/:tags', { params: { tags: param.array(param.slug()) } })).toThrow(
      'route("/tags/:tags"): path param tags cannot be a param.array (only query params repeat)',
    );
  });
});

describe('param.custom and plain decoder objects', () => {
  const isoDate = param.custom({
    decode: (raw): DecodeResult<string> =>
      /^\d{4}-\d{2}-\d{2}$/.test(raw) ? { ok: true, value: raw } : { ok: false, message: 'must be a date' },
    encode: (v) => v,
    optional: true,
  });

  it('keeps the user decoder and its presence flags', () => {
    expect(isoDate.optional).toBe(true);
    const r = createRouter({ day: route('/day', { query: { on: isoDate } }) });
    expect(r.parse('/day?on=2024-01-02')).toMatchObject({ ok: true, destination: { query: { on: '2024-01-02' } } });
    expect(r.parse('/day?on=yesterday')).toMatchObject({
      ok: false,
      errors: [{ path: 'query.on', message: 'must be a date' }],
    });
  });

  it('refuses objects that are not decoders', () => {
    expect(() => param.custom({} as unknown as ParamDecoder<string>)).toThrow(/decode and encode/);
    expect(() => route('/x/:id', { params: { id: { decode: 1 } as unknown as ParamDecoder<string> } })).toThrow(
      /decode and encode/,
    );
  });

  it('turns a throwing or misbehaving user decoder into bad-param, so parse still never throws', () => {
    const r = createRouter({
      a: route('/a/:x', {
        params: {
          x: {
            decode: (): DecodeResult<string> => {
              throw new Error('boom');
            },
            encode: (v: string) => v,
          },
        },
      }),
      b: route('/b/:x', {
        params: { x: { decode: () => undefined as unknown as DecodeResult<string>, encode: (v: string) => v } },
      }),
    });
    expect(r.parse('/a/1')).toEqual({
      ok: false,
      reason: 'bad-param',
      route: 'a',
      errors: [{ path: 'params.x', message: 'could not be decoded (boom)' }],
    });
    expect(r.parse('/b/1')).toMatchObject({ ok: false, reason: 'bad-param', errors: [{ message: /invalid result/ }] });
  });

  it('accepts a plain object literal as a decoder, keeping `this`', () => {
    const upper = {
      suffix: '!',
      decode(raw: string): DecodeResult<string> {
        return raw.endsWith(this.suffix) ? { ok: true, value: raw.slice(0, -1) } : { ok: false, message: 'no bang' };
      },
      encode(v: string) {
        return v + this.suffix;
      },
    };
    const r = createRouter({ shout: route('/shout/:word', { params: { word: upper } }) });
    expect(r.parse('/shout/hi!')).toMatchObject({ ok: true, destination: { params: { word: 'hi' } } });
    expect(r.href({ route: 'shout', params: { word: 'hi' } })).toBe('/shout/hi!');
  });
});
