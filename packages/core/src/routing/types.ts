import type { RepeatedDecoder, ValueOf } from './param.js';
import type { Decoders, QueryDecoders, RouteDef } from './route.js';

type Simplify<T> = { [K in keyof T]: T[K] } & {};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any route definition, whatever its params
export type RouteTable = { readonly [name: string]: RouteDef<string, any, any> };

// A repeated query param defaults to the empty array.
type HasDefault<D> = D extends { readonly default: unknown } | { readonly repeated: true } ? true : false;
type IsOptional<D> = HasDefault<D> extends true ? false : D extends { readonly optional: true } ? true : false;

export type ParamsValue<P extends Decoders> = Simplify<{ -readonly [K in keyof P]: ValueOf<P[K]> }>;

/** Defaulted keys are always present after parsing; optional ones may be absent. */
export type QueryValue<Q extends QueryDecoders> = Simplify<
  { -readonly [K in keyof Q as IsOptional<Q[K]> extends true ? never : K]-?: ValueOf<Q[K]> } & {
    -readonly [K in keyof Q as IsOptional<Q[K]> extends true ? K : never]?: ValueOf<Q[K]>;
  }
>;

/** href only reads a repeated param's values, so a readonly array will do. */
type InputOf<D> = D extends RepeatedDecoder<infer T> ? readonly T[] : ValueOf<D>;

/** What href accepts for the query: defaulted keys may be left out too. */
type QueryInput<Q extends QueryDecoders> = Simplify<
  { -readonly [K in keyof Q as IsOptional<Q[K]> | HasDefault<Q[K]> extends false ? K : never]-?: InputOf<Q[K]> } & {
    -readonly [K in keyof Q as IsOptional<Q[K]> | HasDefault<Q[K]> extends false ? never : K]?: InputOf<Q[K]>;
  }
>;

type RouteDestination<T extends RouteTable, K extends keyof T & string> = {
  route: K;
  params: ParamsValue<T[K]['params']>;
  query: QueryValue<T[K]['query']>;
};

/** Union of every destination a route table can describe, discriminated by `route`. */
export type Destinations<T extends RouteTable> = { [K in keyof T & string]: RouteDestination<T, K> }[keyof T & string];

type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];

type RouteHrefInput<T extends RouteTable, K extends keyof T & string> = Simplify<
  { route: K } & ([RequiredKeys<ParamsValue<T[K]['params']>>] extends [never]
    ? { params?: ParamsValue<T[K]['params']> }
    : { params: ParamsValue<T[K]['params']> }) &
    ([RequiredKeys<QueryInput<T[K]['query']>>] extends [never]
      ? { query?: QueryInput<T[K]['query']> }
      : { query: QueryInput<T[K]['query']> })
>;

/** A destination as href accepts it: empty params/query and defaulted query keys may be omitted. */
export type HrefInput<T extends RouteTable> = { [K in keyof T & string]: RouteHrefInput<T, K> }[keyof T & string];

export interface ParamError {
  /** "params.<name>", "query.<name>", or "query.<name>[<index>]" for one value of a repeated key. */
  readonly path: string;
  readonly message: string;
}

export type ParseResult<D extends { route: string }> =
  | { readonly ok: true; readonly destination: D }
  | { readonly ok: false; readonly reason: 'not-found'; readonly path: string }
  | {
      readonly ok: false;
      readonly reason: 'bad-param';
      readonly route: D['route'];
      readonly errors: readonly ParamError[];
    };

export interface RouterOptions {
  /**
   * Path the app is mounted under, e.g. "/blog": parse only matches URLs
   * below it (and strips it), href starts every URL with it.
   */
  readonly base?: string;
}

export interface Router<T extends RouteTable> {
  /** Route names in declaration order, which is also matching order. */
  readonly routes: readonly (keyof T & string)[];
  /** The route table the router was created from. */
  readonly table: T;
  /** The base path, "" when the app is mounted at the root. */
  readonly base: string;
  parse(url: string | URL): ParseResult<Destinations<T>>;
  /** Canonical URL (path and query) of a destination; throws if it cannot be represented. */
  href(destination: HrefInput<T>): string;
}

export type DestinationOf<R> = R extends { readonly table: infer T extends RouteTable } ? Destinations<T> : never;
