export * as param from './param-decoders.js';
export type { ArrayOptions, BooleanOptions, IntOptions, SlugOptions, StringOptions } from './param-decoders.js';
export type { DecodeResult, ParamDecoder, Presence, RepeatedDecoder, ValueOf, WithPresence } from './param.js';
export { route } from './route.js';
export type {
  Decoders,
  PathDecoders,
  PathParamNames,
  PrerenderEntries,
  QueryDecoders,
  RouteDef,
  Segment,
} from './route.js';
export { createRouter } from './router.js';
export { RouteDefinitionError } from './route-definition-error.js';
export type {
  DestinationOf,
  Destinations,
  HrefInput,
  ParamError,
  ParseResult,
  RouteTable,
  Router,
  RouterOptions,
} from './types.js';
export { syncHistory } from './history.js';
export type { HistoryWindow, SyncableStore, SyncHistoryOptions } from './history.js';
export { isPlainLeftClick } from './link.js';
export type { ClickLike, ElementLike } from './link.js';
