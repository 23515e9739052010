export { live } from './live-plugin.js';
export type { LiveOptions, LiveServer } from './live-plugin.js';
export { channel } from './channel.js';
export type { Channel, ChannelContext, ChannelOptions, PushedMessage, TopicParams } from './channel.js';
export { LIVE_LIMIT_DEFAULTS } from './runtime.js';
export type { LiveLimits } from './runtime.js';
export { CloseCode } from '@composable-svelte/core/live';
export type { PresenceMeta, PresenceState } from '@composable-svelte/core/live';
