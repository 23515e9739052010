import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseState } from '../src/ssr/parse.js';
import { serializeState, StateSerializationError } from '../src/ssr/serialize.js';

// ---------------------------------------------------------------------------
// Arbitraries
// ---------------------------------------------------------------------------

/** Fragments that break naive embedding of JSON in HTML or JavaScript. */
const trickyFragment = fc.constantFrom(
  '</script>',
  '</SCRIPT >',
  '</ScRiPt',
  '<script>',
  '<!--',
  '-->',
  '<!--<script>',
  '<',
  '>',
  '&',
  '&amp;',
  '&lt;/script&gt;',
  ']]>',
  '\u2028',
  '\u2029',
  '\ud800',
  '\udfff',
  '\udbff\udfff',
  '\u0000',
  '\r\n',
  '\r',
  '\\',
  '"',
  "'",
  '/',
  '\u007f',
  '\ufeff',
  '\ufffd',
);

/** Arbitrary unicode (including lone surrogates) mixed with tricky fragments. */
const nastyString = fc
  .array(fc.oneof(fc.string({ unit: 'binary' }), trickyFragment), { maxLength: 6 })
  .map((parts) => parts.join(''));

const nastyKey = fc.oneof(
  nastyString,
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toJSON', 'hasOwnProperty', '', '0', '-1', '1e3', 'my key'),
);

/** Builds an object whose keys are all own data properties (so "__proto__" is a real key). */
function objectFrom(entries: ReadonlyArray<readonly [string, unknown]>, nullPrototype: boolean): object {
  const object = nullPrototype ? (Object.create(null) as object) : {};
  for (const [key, value] of entries) {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }
  return object;
}

const { state: nastyState } = fc.letrec((tie) => ({
  state: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    nastyString,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('state'), { maxLength: 5 }),
  object: fc
    .tuple(fc.uniqueArray(fc.tuple(nastyKey, tie('state')), { selector: ([key]) => key, maxLength: 5 }), fc.boolean())
    .map(([entries, nullPrototype]) => objectFrom(entries, nullPrototype)),
}));

const jsonState: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue(), fc.jsonValue({ stringUnit: 'binary' }), nastyState);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** JSON has no -0: it is written as 0. Rebuild the value with -0 replaced by 0. */
function withoutNegativeZero(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(withoutNegativeZero);
  if (value !== null && typeof value === 'object') {
    return objectFrom(
      Object.keys(value).map((key) => [key, withoutNegativeZero((value as Record<string, unknown>)[key])] as const),
      false,
    );
  }
  return value;
}

const SCRIPT_OPEN = '<script type="application/json" id="s">';

/**
 * Sends `json` the way a server does (inside an HTML page, UTF-8 encoded) and reads
 * the script element's textContent back the way a browser's HTML parser does:
 * decode UTF-8 (lone surrogates would have become U+FFFD), normalise newlines,
 * end the script data at the first `</script` (any case), replace U+0000 with U+FFFD.
 */
function roundTripThroughHtml(json: string): string {
  const html = `<!doctype html><html><body>${SCRIPT_OPEN}${json}</script></body></html>`;
  const received = new TextDecoder().decode(new TextEncoder().encode(html));
  const input = received.replace(/\r\n?/g, '\n');
  const start = input.indexOf(SCRIPT_OPEN) + SCRIPT_OPEN.length;
  const end = input.slice(start).search(/<\/script/i);
  return input.slice(start, start + end).replace(/\u0000/g, '\ufffd');
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const escapeForHtml = (json: string): string =>
  json
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

describe('serializeState / parseState properties', () => {
  it('any JSON value survives serialize -> embed in HTML -> extract textContent -> parse', () => {
    fc.assert(
      fc.property(jsonState, (state) => {
        const json = serializeState(state);
        expect(json).not.toMatch(/<\/script/i);
        expect(json).not.toMatch(/<!--|<script/i);
        const textContent = roundTripThroughHtml(json);
        expect(textContent).toBe(json);
        expect(parseState(textContent)).toEqual(withoutNegativeZero(state));
      }),
      { numRuns: 500 },
    );
  });

  it('the output never contains <, >, &, U+2028, U+2029 or a lone surrogate', () => {
    fc.assert(
      fc.property(jsonState, (state) => {
        const json = serializeState(state);
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
        expect(json).not.toMatch(LONE_SURROGATE);
      }),
      { numRuns: 500 },
    );
  });

  it('the output is the JSON.stringify text with markup characters \\u-escaped', () => {
    fc.assert(
      fc.property(jsonState, (state) => {
        expect(serializeState(state)).toBe(escapeForHtml(JSON.stringify(state)));
      }),
      { numRuns: 300 },
    );
  });

  it('a non-JSON value anywhere is reported at its exact path', () => {
    const identifierKey = fc.constantFrom('user', 'items', '$store', '_x', 'a1');
    const otherKey = fc.oneof(nastyString, fc.constantFrom('my key', '1st', 'a-b', '__proto__', ''));
    const segment = fc.oneof(fc.nat({ max: 3 }), identifierKey, otherKey);
    const badValue = fc.constantFrom<() => unknown>(
      () => () => 1,
      () => new Date(0),
      () => 1n,
      () => Number.NaN,
      () => Number.POSITIVE_INFINITY,
      () => new Map(),
      () => new Set(),
      () => Symbol('s'),
      () => new (class Widget {})(),
    );

    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), badValue, (segments, makeBad) => {
        let state: unknown = makeBad();
        for (const segment of [...segments].reverse()) {
          if (typeof segment === 'number') {
            const array: unknown[] = Array.from({ length: segment + 2 }, () => null);
            array[segment] = state;
            state = array;
          } else {
            state = objectFrom([[segment, state]], false);
          }
        }
        const expectedPath =
          'state' +
          segments
            .map((s) =>
              typeof s === 'number'
                ? `[${s}]`
                : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(s)
                  ? `.${s}`
                  : `[${JSON.stringify(s)}]`,
            )
            .join('');

        let error: unknown;
        try {
          serializeState(state);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(StateSerializationError);
        expect((error as StateSerializationError).path).toBe(expectedPath);
        expect(
          (error as StateSerializationError).summary.startsWith(`Cannot serialize state at ${expectedPath}: `),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
