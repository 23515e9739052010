export { createLiveClient } from './client.js';
export type { ConnectionState, LiveClient, LiveClientOptions, LiveEvent, LiveSocket, OnlineSource } from './client.js';
export { backoffDelay } from './backoff.js';
export type { BackoffOptions } from './backoff.js';
export { applyPresenceDiff } from './presence.js';
export { createFakeLiveTransport } from './fake-transport.js';
export type { FakeLiveSocket, FakeLiveTransport } from './fake-transport.js';
export { CloseCode, isFinalClose } from './protocol.js';
export type { ClientFrame, PresenceMeta, PresenceState, ServerFrame } from './protocol.js';
