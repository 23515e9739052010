/** `next` after sign-in never leaves the origin, whatever a link puts in it. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeNext } from '../src/auth/safe-next.js';

const ORIGIN = 'https://blog.example';

/** Where a browser would go following `Location: <value>` from a page on our origin. */
const destinationOf = (value: string) => new URL(value, `${ORIGIN}/login`);

const hostile = fc.constantFrom(
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  '/\t/evil.example',
  '/\n/evil.example',
  'https://evil.example',
  'https:evil.example',
  'javascript:alert(1)',
  'data:text/html,x',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  '///evil.example',
  ' //evil.example',
  '\u0000//evil.example',
  '/.//evil.example',
  '/..//evil.example',
  'http:/\\evil.example',
);

describe('safeNext', () => {
  it('keeps a path on this site as the parser reads it', () => {
    expect(safeNext('/posts/3?tab=comments#c4')).toBe('/posts/3?tab=comments#c4');
    expect(safeNext('/a/../b')).toBe('/b');
    expect(safeNext('/%2F%2Fevil.example')).toBe('/%2F%2Fevil.example');
  });

  it('falls back for anything that is not a same-origin path', () => {
    for (const value of [
      undefined,
      null,
      42,
      '',
      'posts/3',
      '//evil.example',
      '/\\evil.example',
      'https://evil.example/',
    ])
      expect(safeNext(value)).toBe('/');
    expect(safeNext('//evil.example', '/home')).toBe('/home');
  });

  it('never leads off the origin, for any string (hostile pieces mixed in)', () => {
    const input = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.tuple(hostile, fc.string({ maxLength: 10 })).map(([a, b]) => a + b),
      fc.tuple(fc.constantFrom('/', '', '/x'), hostile).map(([a, b]) => a + b),
      fc.webUrl().map((url) => url),
      fc.webPath(),
      fc
        .tuple(hostile, fc.boolean())
        .map(([value, twice]) => (twice ? encodeURIComponent(encodeURIComponent(value)) : encodeURIComponent(value))),
    );
    fc.assert(
      fc.property(input, (value) => {
        const next = safeNext(value);
        expect(next.startsWith('/')).toBe(true);
        expect(next.startsWith('//')).toBe(false);
        expect(next).not.toMatch(/[\u0000-\u001f\u007f\\]/);
        expect(destinationOf(next).origin).toBe(ORIGIN);
        // Decoding once more (a careless consumer) must not make it leave either.
        const decoded = (() => {
          try {
            return decodeURIComponent(next);
          } catch {
            return next;
          }
        })();
        expect(safeNext(decoded).startsWith('//')).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
