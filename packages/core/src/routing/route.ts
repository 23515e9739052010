import type { ParamDecoder, RepeatedDecoder, ValueOf } from './param.js';
import { RouteDefinitionError } from './route-definition-error.js';
import { CHECK_DEFINITIONS } from './definition-checks.js';

/** Names of the `:name` and `*name` segments of a path pattern, as a union of string literals. */
export type PathParamNames<Path extends string> = Path extends `${infer Head}/${infer Tail}`
  ? SegmentParam<Head> | PathParamNames<Tail>
  : SegmentParam<Path>;
type SegmentParam<S extends string> = S extends `:${infer Name}` | `*${infer Name}` ? Name : never;

export type Decoders = { readonly [name: string]: ParamDecoder };

export type QueryDecoders = { readonly [name: string]: ParamDecoder | RepeatedDecoder };

export type PathDecoders<Path extends string> = { readonly [K in PathParamNames<Path>]: ParamDecoder };

/**
 * The path params of the pages a prerendered route has, as `route()`'s decoders read them (an
 * `int` param is a number). Called at build time only, by the server's prerender step.
 */
export type PrerenderEntries<P extends Decoders> = () =>
  Iterable<{ readonly [K in keyof P]: ValueOf<P[K]> }> | Promise<Iterable<{ readonly [K in keyof P]: ValueOf<P[K]> }>>;

export interface RouteDef<
  Path extends string = string,
  P extends Decoders = Decoders,
  Q extends QueryDecoders = QueryDecoders,
> {
  readonly path: Path;
  readonly params: P;
  readonly query: Q;
  /** Rendered at build time (`composable-svelte prerender`) and served from the files it wrote. */
  readonly prerender: boolean;
  /** The params of the pages to prerender, for a route with path params. */
  readonly entries?: PrerenderEntries<P>;
}

type NoExtraKeys<P, Allowed extends PropertyKey> = { readonly [K in Exclude<keyof P, Allowed>]: never };

/**
 * Path params are always present in a matched URL, so optional or defaulted
 * decoders there would only mislead about the destination type.
 */
type NoOptional<P> = {
  readonly [
    K in keyof P as P[K] extends
      { readonly optional: true } | { readonly default: unknown } | { readonly repeated: true }
      ? K
      : never
  ]: 'path params cannot be optional, have a default or repeat';
};

/**
 * `prerender: true` renders the route's pages when the app is built; `entries` lists them for a
 * route with path params (pages linked from prerendered pages are found by the crawl too).
 */
interface PrerenderOptions<P> {
  readonly prerender?: boolean;
  readonly entries?: PrerenderEntries<P & Decoders>;
}

type RouteOptions<Path extends string, P, Q> = [PathParamNames<Path>] extends [never]
  ? [options?: { readonly params?: P & NoExtraKeys<P, never>; readonly query?: Q; readonly prerender?: boolean }]
  : [
      options: {
        readonly params: P & NoExtraKeys<P, PathParamNames<Path>> & NoOptional<P>;
        readonly query?: Q;
      } & PrerenderOptions<P>,
    ];

export function route<
  const Path extends string,
  const P extends PathDecoders<Path> = PathDecoders<Path>,
  const Q extends QueryDecoders = {},
>(path: Path, ...options: RouteOptions<Path, P, Q>): RouteDef<Path, NoInfer<P>, NoInfer<Q>> {
  const opts: { params?: Decoders; query?: QueryDecoders; prerender?: unknown; entries?: unknown } = options[0] ?? {};
  const params = opts.params ?? {};
  const query = opts.query ?? {};
  const prerender = opts.prerender ?? false;
  const { entries } = opts;
  if (CHECK_DEFINITIONS) checkRoute(path, params, query, prerender, entries);
  const def = entries === undefined ? { path, params, query, prerender } : { path, params, query, prerender, entries };
  return Object.freeze(def) as unknown as RouteDef<Path, P, Q>;
}

function checkRoute(path: string, params: Decoders, query: QueryDecoders, prerender: unknown, entries: unknown): void {
  if (typeof prerender !== 'boolean') throw new RouteDefinitionError(`route("${path}"): prerender must be a boolean`);
  if (entries !== undefined && typeof entries !== 'function')
    throw new RouteDefinitionError(`route("${path}"): entries must be a function returning the params of each page`);
  if (entries !== undefined && !prerender)
    throw new RouteDefinitionError(`route("${path}"): entries needs prerender: true`);
  const segments = compilePath(path);
  const names: string[] = [];
  for (const segment of segments) {
    if (segment.kind === 'static') continue;
    const written = `${segment.kind === 'param' ? ':' : '*'}${segment.name}`;
    if (!Object.hasOwn(params, segment.name))
      throw new RouteDefinitionError(`route("${path}"): no decoder for ${written}`);
    names.push(segment.name);
  }
  for (const [name, decoder] of Object.entries(params)) {
    if (!names.includes(name)) throw new RouteDefinitionError(`route("${path}"): params.${name} is not in the path`);
    if ((decoder as Partial<RepeatedDecoder>).repeated === true) {
      throw new RouteDefinitionError(
        `route("${path}"): path param ${name} cannot be a param.array (only query params repeat)`,
      );
    }
    checkDecoder(decoder, `route("${path}"): params.${name}`);
    if (decoder.optional === true || decoder.default !== undefined) {
      throw new RouteDefinitionError(`route("${path}"): path param :${name} cannot be optional or have a default`);
    }
  }
  for (const [name, decoder] of Object.entries(query)) {
    if (name === '') throw new RouteDefinitionError(`route("${path}"): query param names must not be empty`);
    const repeated = (decoder as Partial<RepeatedDecoder>).repeated === true;
    checkDecoder(repeated ? (decoder as RepeatedDecoder).item : decoder, `route("${path}"): query.${name}`);
  }
  if (entries !== undefined && names.length === 0)
    throw new RouteDefinitionError(`route("${path}"): entries is for routes with path params; this one has none`);
}

function checkDecoder(decoder: unknown, where: string): void {
  const d = decoder as Partial<ParamDecoder> | null;
  if (typeof d?.decode !== 'function' || typeof d.encode !== 'function') {
    throw new RouteDefinitionError(`${where} must be a decoder with decode and encode functions`);
  }
}

export type Segment =
  | { readonly kind: 'static'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  /** `*name`: the rest of the path, one or more segments, as one value. */
  | { readonly kind: 'wildcard'; readonly name: string };

const PARAM_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Splits a pattern into segments, validating it where definitions are checked. Literals that URLs
 * cannot carry unambiguously ('%', '?', '#', dot segments) are refused rather than producing
 * routes that can never match.
 */
export function compilePath(path: string, what?: string): Segment[] {
  if (CHECK_DEFINITIONS) checkPath(path, what ?? `route("${String(path)}")`);
  if (path === '/') return [];
  return path
    .slice(1)
    .split('/')
    .map((part): Segment => {
      if (part.startsWith(':')) return { kind: 'param', name: part.slice(1) };
      if (part.startsWith('*')) return { kind: 'wildcard', name: part.slice(1) };
      return { kind: 'static', text: part };
    });
}

function checkPath(path: string, what: string): void {
  if (typeof path !== 'string' || !path.startsWith('/'))
    throw new RouteDefinitionError(`${what}: path must start with "/"`);
  if (path === '/') return;
  const seen = new Set<string>();
  const parts = path.slice(1).split('/');
  parts.forEach((part, i) => {
    if (part.startsWith(':') || part.startsWith('*')) {
      const name = part.slice(1);
      if (!PARAM_NAME.test(name)) throw new RouteDefinitionError(`${what}: invalid param name "${part}"`);
      if (seen.has(name)) throw new RouteDefinitionError(`${what}: duplicate param ${part}`);
      seen.add(name);
      if (part.startsWith('*') && i !== parts.length - 1)
        throw new RouteDefinitionError(`${what}: the wildcard ${part} must be the last segment`);
    } else if (part === '' || part === '.' || part === '..' || /[%?#\s]/.test(part)) {
      throw new RouteDefinitionError(`${what}: invalid segment "${part}"`);
    }
  });
}
