/**
 * Param decoders turn one URL component into a typed value and back.
 *
 * Contract: `decode` receives text that is already percent-decoded, and
 * `encode` returns plain text; the router does the percent-encoding for the
 * place the value goes (path segment or query string). That keeps decoders
 * ignorant of URL syntax and lets the same decoder serve both places.
 */

export type DecodeResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

// `any` by default so a table of decoders with different value types is one type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface ParamDecoder<T = any> {
  decode(raw: string): DecodeResult<T>;
  encode(value: T): string;
  /** Query params only: when absent from the URL the key is left out. */
  readonly optional?: boolean;
  /** Query params only: the value used when absent from the URL. */
  readonly default?: T;
}

/**
 * A query param read from every occurrence of its key, in URL order
 * (`?tag=a&tag=b` gives `['a', 'b']`); absent, it is the empty array.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface RepeatedDecoder<T = any> {
  readonly repeated: true;
  /** Decodes each occurrence. */
  readonly item: ParamDecoder<T>;
  readonly maxItems: number;
}

/** The value type a decoder produces. */
export type ValueOf<D> = D extends { readonly repeated: true; readonly item: ParamDecoder<infer T> }
  ? T[]
  : D extends { decode(raw: string): DecodeResult<infer T> }
    ? T
    : never;

export interface Presence<T> {
  readonly optional?: boolean;
  readonly default?: T;
}

/**
 * Carries `optional: true` / `default` into the decoder's type so the route
 * table can infer `{ page?: number }` versus `{ page: number }`.
 */
export type WithPresence<T, O> = ParamDecoder<T> &
  (O extends { readonly default: unknown }
    ? { readonly default: T }
    : O extends { readonly optional: true }
      ? { readonly optional: true }
      : unknown);

export const ok = <T>(value: T): DecodeResult<T> => ({ ok: true, value });
export const fail = (message: string): DecodeResult<never> => ({ ok: false, message });

/**
 * Runs a decoder that may be user-written; a throwing decoder is reported as
 * a rejected value so that parsing a URL never throws.
 */
export function safeDecode<T>(decoder: ParamDecoder<T>, raw: string): DecodeResult<T> {
  try {
    const result = decoder.decode(raw);
    if (result?.ok === true || (result?.ok === false && typeof result.message === 'string')) return result;
    return fail('could not be decoded (decoder returned an invalid result)');
  } catch (error) {
    return fail(`could not be decoded (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Encodes `value` and decodes it again, so callers learn about values that
 * would produce a URL that does not parse back to the same destination.
 */
export function encodeChecked<T>(decoder: ParamDecoder<T>, value: T): DecodeResult<string> {
  let text: unknown;
  try {
    text = decoder.encode(value);
  } catch (error) {
    return fail(`cannot be encoded (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof text !== 'string') return fail('encode must return a string');
  const back = safeDecode(decoder, text);
  if (!back.ok) return back;
  // Only primitives can be compared meaningfully; object values are trusted.
  const comparable = value === null || (typeof value !== 'object' && typeof value !== 'function');
  if (comparable && !Object.is(back.value, value) && !(value === 0 && back.value === 0)) {
    return fail(`does not round-trip (${JSON.stringify(String(value))} decodes differently)`);
  }
  return ok(text);
}
