import { encodeChecked, safeDecode, type DecodeResult, type ParamDecoder, type RepeatedDecoder } from './param.js';
import { compilePath, type Segment } from './route.js';
import type { Destinations, HrefInput, ParamError, ParseResult, RouteTable, Router, RouterOptions } from './types.js';
import {
  decodeComponent,
  encodeLiteralSegment,
  isWellFormed,
  MALFORMED,
  readQuery,
  splitPath,
  toLocation,
} from './url.js';
import { CHECK_DEFINITIONS } from './definition-checks.js';
import { RouteDefinitionError } from './route-definition-error.js';

type QueryDecoder = ParamDecoder | RepeatedDecoder;
type ParamSegment = Exclude<Segment, { kind: 'static' }>;

interface CompiledRoute {
  readonly name: string;
  readonly segments: readonly Segment[];
  readonly wildcard: boolean;
  /** What href writes: runs of static segments already encoded, and the param segments between them. */
  readonly pieces: readonly (string | ParamSegment)[];
  // Maps, not the user's objects, so keys such as "constructor" or
  // "__proto__" coming from a URL can never reach Object.prototype.
  readonly params: ReadonlyMap<string, ParamDecoder>;
  readonly query: ReadonlyMap<string, QueryDecoder>;
  readonly queryKeys: ReadonlySet<string>;
}

type Values = Record<string, unknown>;

const isRepeated = (decoder: QueryDecoder): decoder is RepeatedDecoder =>
  (decoder as Partial<RepeatedDecoder>).repeated === true;

/**
 * "", "." and ".." cannot be a path segment value: the first vanishes or
 * changes the segment count, the others are resolved away by browsers.
 */
function unusableSegment(text: string): string | undefined {
  if (text === '') return 'must not be empty';
  if (!isWellFormed(text)) return 'must be well-formed Unicode';
  if (text === '.' || text === '..') return 'must not be "." or ".."';
  return undefined;
}

/**
 * A wildcard value is written as one path segment per "/"-separated part, so
 * each part must survive as a segment and the whole must come back the same.
 * `first`: nothing precedes it in the path, where a leading "/" would make
 * the URL protocol-relative ("//host/…").
 */
function unusableRest(text: string, first: boolean): string | undefined {
  if (text === '') return 'must not be empty';
  if (!isWellFormed(text)) return 'must be well-formed Unicode';
  if (first && text.startsWith('/')) return 'must not start with "/"';
  if (text.split('/').some((part) => part === '.' || part === '..')) return 'must not contain "." or ".." segments';
  // One trailing slash is ignored when parsing (see splitPath), so it would be lost.
  if (text.endsWith('/') && !text.endsWith('//') && text !== '/') return 'must not end with a single "/"';
  return undefined;
}

function encodeQueryValue(decoder: ParamDecoder, value: unknown): DecodeResult<string> {
  const text = encodeChecked(decoder, value);
  if (text.ok && !isWellFormed(text.value)) return { ok: false, message: 'must be well-formed Unicode' };
  return text;
}

function define(target: Values, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function compile(name: string, def: RouteTable[string], base: string): CompiledRoute {
  if (
    CHECK_DEFINITIONS &&
    (typeof def?.path !== 'string' || typeof def.params !== 'object' || typeof def.query !== 'object')
  ) {
    throw new RouteDefinitionError(`createRouter: ${JSON.stringify(name)} is not a route() definition`);
  }
  const segments = compilePath(def.path);
  // Encoding the literals once here keeps href from re-encoding them on every call.
  const pieces: (string | ParamSegment)[] = [];
  let literal = base;
  for (const segment of segments) {
    if (segment.kind === 'static') {
      literal += `/${encodeLiteralSegment(segment.text)}`;
      continue;
    }
    if (literal !== '') pieces.push(literal);
    literal = '';
    pieces.push(segment);
  }
  if (literal !== '') pieces.push(literal);
  const query = new Map(Object.entries(def.query as Record<string, QueryDecoder>));
  return {
    name,
    segments,
    wildcard: segments.at(-1)?.kind === 'wildcard',
    pieces,
    params: new Map(Object.entries(def.params as Record<string, ParamDecoder>)),
    query,
    queryKeys: new Set(query.keys()),
  };
}

function compileBase(base: unknown): { readonly segments: readonly string[]; readonly prefix: string } {
  if (base === undefined || base === '' || base === '/') return { segments: [], prefix: '' };
  const what = `createRouter: base ${JSON.stringify(String(base))}`;
  if (CHECK_DEFINITIONS) {
    if (typeof base !== 'string' || !base.startsWith('/'))
      throw new RouteDefinitionError(`${what} must start with "/"`);
    if (base.endsWith('/')) throw new RouteDefinitionError(`${what} must not end with "/"`);
  }
  const segments = compilePath(base as string, what).map((s) => {
    if (CHECK_DEFINITIONS && s.kind !== 'static') throw new RouteDefinitionError(`${what} must not contain params`);
    return (s as Extract<Segment, { kind: 'static' }>).text;
  });
  return { segments, prefix: segments.map((s) => `/${encodeLiteralSegment(s)}`).join('') };
}

function literalsMatch(route: CompiledRoute, decoded: readonly (string | undefined)[]): boolean {
  const count = route.segments.length;
  if (route.wildcard ? decoded.length < count : decoded.length !== count) return false;
  return route.segments.every((s, i) => s.kind !== 'static' || decoded[i] === s.text);
}

export function createRouter<const T extends RouteTable>(table: T, options: RouterOptions = {}): Router<T> {
  const base = compileBase(options.base);
  const compiled = Object.entries(table).map(([name, def]) => compile(name, def, base.prefix));
  const byName = new Map(compiled.map((r) => [r.name, r]));
  const restIsFirst = (route: CompiledRoute) => base.segments.length === 0 && route.segments.length === 1;

  function decodeParams(route: CompiledRoute, decoded: readonly (string | undefined)[], errors: ParamError[]): Values {
    const params: Values = {};
    route.segments.forEach((segment, i) => {
      if (segment.kind === 'static') return;
      const path = `params.${segment.name}`;
      const parts = segment.kind === 'wildcard' ? decoded.slice(i) : [decoded[i]];
      if (parts.includes(undefined)) return void errors.push({ path, message: 'has malformed percent-encoding' });
      const text = parts.join('/');
      const unusable = segment.kind === 'wildcard' ? unusableRest(text, restIsFirst(route)) : unusableSegment(text);
      if (unusable !== undefined) return void errors.push({ path, message: unusable });
      const result = safeDecode(route.params.get(segment.name)!, text);
      if (result.ok) define(params, segment.name, result.value);
      else errors.push({ path, message: result.message });
    });
    return params;
  }

  function decodeQuery(route: CompiledRoute, search: string, errors: ParamError[]): Values {
    const query: Values = {};
    if (route.query.size === 0) return query;
    const found = readQuery(search, route.queryKeys);
    for (const [key, decoder] of route.query) {
      const path = `query.${key}`;
      const texts = found.get(key) ?? [];
      if (isRepeated(decoder)) {
        if (texts.length > decoder.maxItems) {
          errors.push({ path, message: `must not be repeated more than ${decoder.maxItems} times` });
          continue;
        }
        const values: unknown[] = [];
        texts.forEach((text, i) => {
          const result = text === MALFORMED ? undefined : safeDecode(decoder.item, text);
          if (result?.ok) values.push(result.value);
          else errors.push({ path: `${path}[${i}]`, message: result?.message ?? 'has malformed percent-encoding' });
        });
        define(query, key, values);
        continue;
      }
      // The first occurrence counts; a repeated single-valued key is not an error, as with URLSearchParams.get.
      const text = texts[0];
      if (text === undefined) {
        if (decoder.default !== undefined) define(query, key, decoder.default);
        else if (decoder.optional !== true) errors.push({ path, message: 'is required' });
        continue;
      }
      if (text === MALFORMED) {
        errors.push({ path, message: 'has malformed percent-encoding' });
        continue;
      }
      const result = safeDecode(decoder, text);
      if (result.ok) define(query, key, result.value);
      else errors.push({ path, message: result.message });
    }
    return query;
  }

  function parse(url: string | URL): ParseResult<Destinations<T>> {
    const location = toLocation(url);
    const raw = location && splitPath(location.pathname);
    if (!location || !raw) return { ok: false, reason: 'not-found', path: location?.pathname ?? String(url) };
    const notFound = { ok: false, reason: 'not-found', path: location.pathname } as const;
    let decoded = raw.map(decodeComponent);
    if (base.segments.length > 0) {
      if (!base.segments.every((text, i) => decoded[i] === text)) return notFound;
      decoded = decoded.slice(base.segments.length);
    }
    const route = compiled.find((r) => literalsMatch(r, decoded));
    if (!route) return notFound;
    const errors: ParamError[] = [];
    const params = decodeParams(route, decoded, errors);
    const query = decodeQuery(route, location.search, errors);
    if (errors.length > 0) return { ok: false, reason: 'bad-param', route: route.name, errors };
    return { ok: true, destination: { route: route.name, params, query } as Destinations<T> };
  }

  function href(destination: HrefInput<T>): string {
    const input = destination as { route?: unknown; params?: Values; query?: Values };
    const route = typeof input?.route === 'string' ? byName.get(input.route) : undefined;
    if (!route) throw new Error(`router.href: unknown route ${JSON.stringify(String(input?.route))}`);
    const fail = (path: string, message: string): never => {
      throw new Error(`router.href(${JSON.stringify(route.name)}): ${path} ${message}`);
    };
    const valueAt = (values: Values | undefined, key: string) =>
      values != null && Object.hasOwn(values, key) ? values[key] : undefined;

    let path = '';
    for (const piece of route.pieces) {
      if (typeof piece === 'string') {
        path += piece;
        continue;
      }
      const value = valueAt(input.params, piece.name);
      if (value === undefined) fail(`params.${piece.name}`, 'is missing');
      const text = encodeChecked(route.params.get(piece.name)!, value);
      if (!text.ok) return fail(`params.${piece.name}`, text.message);
      if (piece.kind === 'param') {
        const unusable = unusableSegment(text.value);
        if (unusable !== undefined) fail(`params.${piece.name}`, unusable);
        path += `/${encodeURIComponent(text.value)}`;
      } else {
        const unusable = unusableRest(text.value, restIsFirst(route));
        if (unusable !== undefined) fail(`params.${piece.name}`, unusable);
        path += `/${text.value.split('/').map(encodeURIComponent).join('/')}`;
      }
    }
    path ||= '/';
    if (route.query.size === 0) return path;

    // Allocated on the first value: most links carry no query even on routes that accept one.
    let search: URLSearchParams | undefined;
    for (const [key, decoder] of route.query) {
      const value = valueAt(input.query, key);
      if (isRepeated(decoder)) {
        if (value === undefined) continue;
        if (!Array.isArray(value)) fail(`query.${key}`, 'must be an array');
        const values = value as unknown[];
        if (values.length > decoder.maxItems)
          fail(`query.${key}`, `must not have more than ${decoder.maxItems} values`);
        for (let i = 0; i < values.length; i++) {
          const text = encodeQueryValue(decoder.item, values[i]);
          if (!text.ok) fail(`query.${key}[${i}]`, text.message);
          else (search ??= new URLSearchParams()).append(key, text.value);
        }
        continue;
      }
      if (value === undefined) {
        if (decoder.optional !== true && decoder.default === undefined) fail(`query.${key}`, 'is required');
        continue;
      }
      const text = encodeQueryValue(decoder, value);
      if (!text.ok) return fail(`query.${key}`, text.message);
      // The default is what a missing key means, so leaving it out keeps one URL per destination.
      if (decoder.default === undefined || !Object.is(value, decoder.default)) {
        (search ??= new URLSearchParams()).append(key, text.value);
      }
    }
    const query = search?.toString();
    return query ? `${path}?${query}` : path;
  }

  return Object.freeze({
    routes: Object.freeze(compiled.map((r) => r.name)) as readonly (keyof T & string)[],
    table,
    base: base.prefix,
    parse,
    href,
  });
}
