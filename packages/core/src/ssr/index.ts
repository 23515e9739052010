export { serializeState, StateSerializationError } from './serialize.js';
export { parseState, StateParseError } from './parse.js';
export { hydrateStore, readSerializedState, STATE_ELEMENT_ID } from './hydrate.js';
export type { HydrateConfig } from './hydrate.js';
