import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Principal, Viewer } from '../auth/principal.js';

/** What a channel's hooks know about the socket: who it is and which topic it joined. */
export interface ChannelContext<Params> {
  /** The concrete topic, e.g. `post/12`. */
  readonly topic: string;
  readonly params: Params;
  /** Undefined for an anonymous socket (only channels with `anonymous: true` see one). */
  readonly principal: Principal | undefined;
  /** This socket's presence ref (unique per connection across instances). */
  readonly ref: string;
}

/** `'post/:id'` → `{ id: string }`. */
export type TopicParams<Pattern extends string> = Pattern extends `${string}:${infer Name}/${infer Rest}`
  ? { readonly [K in Name]: string } & TopicParams<Rest>
  : Pattern extends `${string}:${infer Name}`
    ? { readonly [K in Name]: string }
    : Record<never, string>;

/** A validated push, discriminated by `event` so a `switch` narrows `data`. */
export type PushedMessage<Messages extends Record<string, TSchema>> = {
  [E in keyof Messages & string]: { readonly event: E; readonly data: Static<Messages[E]> };
}[keyof Messages & string];

export interface ChannelOptions<Params, Messages extends Record<string, TSchema>> {
  /** Anonymous sockets may join (they count once per connection in presence). Default false. */
  readonly anonymous?: boolean;
  /**
   * May this viewer join? `true` joins; `false` refuses with reason `forbidden`; a string refuses
   * with that reason. Runs on every join, including after a reconnect.
   */
  readonly authorize?: (
    viewer: Viewer | undefined,
    params: Params,
    principal: Principal | undefined,
  ) => boolean | string | Promise<boolean | string>;
  /** What a client may push on this channel, by event name; each payload is validated first. */
  readonly messages?: Messages;
  /**
   * Handles a validated push; what it returns is the ack's `data`. Throw an error with a
   * `statusCode` below 500 to refuse with its message as the reason; anything else is `internal`.
   */
  readonly onMessage?: (context: ChannelContext<Params>, message: PushedMessage<Messages>) => unknown;
  /** Presence metadata for this socket (`false` keeps it out of presence); omitted: no presence. */
  readonly presence?: (context: ChannelContext<Params>) => Record<string, unknown> | false;
  readonly onJoin?: (context: ChannelContext<Params>) => void | Promise<void>;
  readonly onLeave?: (context: ChannelContext<Params>) => void | Promise<void>;
}

/** A channel definition with its pattern compiled; what `liveChannels({ channels })` takes. */
export interface Channel {
  readonly pattern: string;
  readonly options: ChannelOptions<Record<string, string>, Record<string, TSchema>>;
  readonly checks: ReadonlyMap<string, TypeCheck<TSchema>>;
  match(topic: string): Record<string, string> | undefined;
}

const SEGMENT = /^[A-Za-z0-9_.~-]{1,64}$/;

/**
 * Defines a channel: a topic pattern whose `:name` segments become params. Message schemas are
 * compiled once here, so validating a push costs no schema walk.
 */
export function channel<Pattern extends string, Messages extends Record<string, TSchema> = Record<never, TSchema>>(
  pattern: Pattern,
  options: ChannelOptions<TopicParams<Pattern>, Messages>,
): Channel {
  const parts = pattern.split('/');
  for (const part of parts) {
    const name = part.startsWith(':') ? part.slice(1) : part;
    if (!SEGMENT.test(name)) throw new TypeError(`live channel "${pattern}": bad segment "${part}"`);
  }
  const checks = new Map<string, TypeCheck<TSchema>>();
  for (const [event, schema] of Object.entries(options.messages ?? {})) checks.set(event, TypeCompiler.Compile(schema));
  return {
    pattern,
    options: options as unknown as Channel['options'],
    checks,
    match(topic) {
      const segments = topic.split('/');
      if (segments.length !== parts.length) return undefined;
      const params: Record<string, string> = {};
      for (let index = 0; index < parts.length; index++) {
        const part = parts[index]!;
        const segment = segments[index]!;
        if (!SEGMENT.test(segment)) return undefined;
        if (part.startsWith(':')) params[part.slice(1)] = segment;
        else if (part !== segment) return undefined;
      }
      return params;
    },
  };
}

/** The first channel whose pattern matches `topic`, with its params. */
export function findChannel(
  channels: readonly Channel[],
  topic: string,
): { channel: Channel; params: Record<string, string> } | undefined {
  for (const candidate of channels) {
    const params = candidate.match(topic);
    if (params) return { channel: candidate, params };
  }
  return undefined;
}

/** Topics are `/`-separated segments of safe characters, as channel patterns are. */
export function isTopic(topic: string): boolean {
  return topic.length <= 256 && topic.split('/').every((segment) => SEGMENT.test(segment));
}
