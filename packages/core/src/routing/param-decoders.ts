/**
 * The built-in param decoders, imported as a namespace (`param.int()`, `param.enum([...])`): a
 * bundler keeps the ones an app uses and drops the others.
 */
import { CHECK_DEFINITIONS } from './definition-checks.js';
import {
  encodeChecked,
  fail,
  ok,
  type DecodeResult,
  type ParamDecoder,
  type Presence,
  type RepeatedDecoder,
  type WithPresence,
} from './param.js';
import { RouteDefinitionError } from './route-definition-error.js';
import { isWellFormed } from './url.js';

function checkDefault<T>(decoder: ParamDecoder<T>, what: string): void {
  if (!CHECK_DEFINITIONS || decoder.default === undefined) return;
  // A default that its own decoder rejects would make parse and href disagree.
  const check = encodeChecked(decoder, decoder.default);
  if (!check.ok) throw new RouteDefinitionError(`${what}: default value ${check.message}`);
}

function withPresence<T>(base: ParamDecoder<T>, options: Presence<T>, what: string): ParamDecoder<T> {
  const decoder: { -readonly [K in keyof ParamDecoder<T>]: ParamDecoder<T>[K] } = {
    decode: base.decode,
    encode: base.encode,
  };
  if (options.optional === true) decoder.optional = true;
  if (options.default !== undefined) decoder.default = options.default;
  checkDefault(decoder, what);
  return Object.freeze(decoder);
}

function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function checkLength(max: unknown, what: string, option = 'maxLength'): number {
  if (CHECK_DEFINITIONS && (typeof max !== 'number' || !Number.isSafeInteger(max) || max < 1)) {
    throw new RouteDefinitionError(`${what}: ${option} must be a positive integer`);
  }
  return max as number;
}

export interface IntOptions extends Presence<number> {
  readonly min?: number;
  readonly max?: number;
}

const CANONICAL_INT = /^-?(0|[1-9][0-9]*)$/;

function int<const O extends IntOptions = {}>(options?: O): WithPresence<number, O> {
  const opts: IntOptions = options ?? {};
  const min = opts.min ?? Number.MIN_SAFE_INTEGER;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  if (CHECK_DEFINITIONS && (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || min > max)) {
    throw new RouteDefinitionError(`param.int: min and max must be safe integers with min ≤ max`);
  }
  const base: ParamDecoder<number> = {
    decode(raw) {
      // "-0" is excluded because it would encode back as "0".
      if (!CANONICAL_INT.test(raw) || raw === '-0') return fail('must be an integer');
      const n = Number(raw);
      // Out-of-safe-range digits parse to an imprecise number that is still
      // beyond the safe limits, so these comparisons also catch them.
      if (n < min) return fail(`must be ≥ ${min}`);
      if (n > max) return fail(`must be ≤ ${max}`);
      return ok(n);
    },
    encode: (value) => String(value),
  };
  return withPresence(base, opts, 'param.int') as WithPresence<number, O>;
}

export interface SlugOptions extends Presence<string> {
  readonly maxLength?: number;
}

// Marks (\p{M}) are included because many scripts cannot be written without
// combining characters.
const SLUG = /^[\p{L}\p{M}\p{N}_.-]+$/u;

function slug<const O extends SlugOptions = {}>(options?: O): WithPresence<string, O> {
  const opts: SlugOptions = options ?? {};
  const maxLength = checkLength(opts.maxLength ?? 200, 'param.slug');
  const base: ParamDecoder<string> = {
    decode(raw) {
      if (raw === '') return fail('must not be empty');
      if (!isWellFormed(raw)) return fail('must be well-formed Unicode');
      if (codePointLength(raw) > maxLength) return fail(`must be at most ${maxLength} characters`);
      // Browsers resolve "." and ".." as dot segments, so they cannot survive a round trip.
      if (raw === '.' || raw === '..') return fail('must not be "." or ".."');
      if (!SLUG.test(raw)) return fail('may contain only letters, digits, "-", "_" and "."');
      return ok(raw);
    },
    encode: (value) => value,
  };
  return withPresence(base, opts, 'param.slug') as WithPresence<string, O>;
}

export interface StringOptions extends Presence<string> {
  readonly maxLength?: number;
}

function string<const O extends StringOptions = {}>(options?: O): WithPresence<string, O> {
  const opts: StringOptions = options ?? {};
  const maxLength = checkLength(opts.maxLength ?? 1000, 'param.string');
  const base: ParamDecoder<string> = {
    decode(raw) {
      if (raw === '') return fail('must not be empty');
      if (!isWellFormed(raw)) return fail('must be well-formed Unicode');
      if (codePointLength(raw) > maxLength) return fail(`must be at most ${maxLength} characters`);
      return ok(raw);
    },
    encode: (value) => value,
  };
  return withPresence(base, opts, 'param.string') as WithPresence<string, O>;
}

function enumOf<const V extends readonly [string, ...string[]], const O extends Presence<V[number]> = {}>(
  values: V,
  options?: O,
): WithPresence<V[number], O> {
  if (CHECK_DEFINITIONS && (!Array.isArray(values) || values.length === 0)) {
    throw new RouteDefinitionError('param.enum: needs at least one value');
  }
  const allowed = new Set<string>(values);
  if (CHECK_DEFINITIONS && (allowed.size !== values.length || values.some((v) => typeof v !== 'string' || v === ''))) {
    throw new RouteDefinitionError('param.enum: values must be distinct non-empty strings');
  }
  const expected = `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`;
  const base: ParamDecoder<V[number]> = {
    decode: (raw) => (allowed.has(raw) ? ok(raw as V[number]) : fail(expected)),
    encode: (value) => value,
  };
  return withPresence(base, options ?? {}, 'param.enum') as WithPresence<V[number], O>;
}

export type BooleanOptions = Presence<boolean>;

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['1', true],
  ['on', true],
  ['false', false],
  ['0', false],
  ['off', false],
]);

/**
 * Accepts "true", "1" and "on" (what an HTML checkbox sends) as true, "false",
 * "0" and "off" as false, lower case only; writes "true" or "false".
 */
function boolean<const O extends BooleanOptions = {}>(options?: O): WithPresence<boolean, O> {
  const base: ParamDecoder<boolean> = {
    decode(raw) {
      const value = BOOLEANS.get(raw);
      return value === undefined ? fail('must be one of "true", "false", "1", "0", "on", "off"') : ok(value);
    },
    encode: (value) => (value ? 'true' : 'false'),
  };
  return withPresence(base, options ?? {}, 'param.boolean') as WithPresence<boolean, O>;
}

export interface ArrayOptions {
  /** Most occurrences accepted; more is a bad param. Default 100. */
  readonly maxItems?: number;
}

/** A query param that may repeat: `param.array(param.slug())` reads `?tag=a&tag=b` as `['a', 'b']`. */
function array<T>(item: ParamDecoder<T>, options?: ArrayOptions): RepeatedDecoder<T> {
  if (CHECK_DEFINITIONS) {
    if (typeof item?.decode !== 'function' || typeof item.encode !== 'function') {
      throw new RouteDefinitionError('param.array: needs a decoder for the items');
    }
    if (item.optional === true || item.default !== undefined) {
      throw new RouteDefinitionError(
        'param.array: the item decoder cannot be optional or have a default (absent means [])',
      );
    }
  }
  const maxItems = checkLength(options?.maxItems ?? 100, 'param.array', 'maxItems');
  return Object.freeze({ repeated: true, item, maxItems });
}

/**
 * A user-written decoder. Returned as-is (methods may rely on `this`), but
 * checked for shape so mistakes fail at definition time, not on first use.
 */
function custom<T, const O extends Presence<T> = {}>(
  decoder: { decode(raw: string): DecodeResult<T>; encode(value: T): string } & O,
): WithPresence<T, O> {
  if (CHECK_DEFINITIONS && (typeof decoder?.decode !== 'function' || typeof decoder.encode !== 'function')) {
    throw new RouteDefinitionError('param.custom: needs decode and encode functions');
  }
  checkDefault<T>(decoder, 'param.custom');
  return decoder as unknown as WithPresence<T, O>;
}

export { int, slug, string, enumOf as enum, boolean, array, custom };
