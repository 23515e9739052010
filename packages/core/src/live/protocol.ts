/**
 * The wire protocol of `/live`, shared by the browser client and `@composable-svelte/server/live`:
 * one JSON object per text frame. Kept here (browser-safe, types and constants only) so both ends
 * compile against the same shapes.
 */

/** One connection's entry in a channel's presence; `ref` tells apart several tabs of one viewer. */
export type PresenceMeta = { readonly ref: string } & Readonly<Record<string, unknown>>;

/** Presence by key (`user:<id>` for a signed-in viewer, `anon:<ref>` for an anonymous one). */
export type PresenceState = Readonly<Record<string, readonly PresenceMeta[]>>;

export type ClientFrame =
  | { readonly type: 'auth'; readonly token: string }
  /** `since` and `epoch` (from an earlier join's reply) resume after that position. */
  | {
      readonly type: 'join';
      readonly ref: string;
      readonly topic: string;
      readonly since?: number;
      readonly epoch?: string;
    }
  | { readonly type: 'leave'; readonly ref: string; readonly topic: string }
  /** `ref` is the message id: a retry after a reconnect reuses it and the server runs it once. */
  | {
      readonly type: 'push';
      readonly ref: string;
      readonly topic: string;
      readonly event: string;
      readonly data?: unknown;
    }
  | { readonly type: 'ping' };

export type ServerFrame =
  | {
      readonly type: 'reply';
      readonly ref: string;
      readonly ok: true;
      /** On join: the channel's sequence the client is now at. */
      readonly seq?: number;
      /** On join: names the numbering `seq` belongs to; send it back with `since` to resume. */
      readonly epoch?: string;
      /** On join with `since`: the gap is older than the history kept; reload the state, then follow. */
      readonly refetch?: boolean;
      readonly data?: unknown;
    }
  | { readonly type: 'reply'; readonly ref: string; readonly ok: false; readonly reason: string }
  | {
      readonly type: 'event';
      readonly topic: string;
      readonly seq: number;
      readonly event: string;
      readonly data: unknown;
    }
  | {
      readonly type: 'presence';
      readonly topic: string;
      /** The whole state (sent once after a join); otherwise a diff. */
      readonly state?: PresenceState;
      readonly joins?: PresenceState;
      readonly leaves?: PresenceState;
    }
  | { readonly type: 'error'; readonly reason: string }
  | { readonly type: 'pong' };

/**
 * Close codes the server uses. 1xxx are the standard ones; 4xxx are this protocol's. A client
 * reconnects after any code but `authFailed` and `revoked`, which need a new credential first.
 */
export const CloseCode = {
  /** Server shutting down (or restarting): reconnect, possibly to another instance. */
  goingAway: 1001,
  /** A binary frame: the protocol is JSON text only. */
  unsupportedData: 1003,
  /** A frame larger than the limit. */
  tooBig: 1009,
  /** No valid credential: none within the deadline, or an access token that did not verify. */
  authFailed: 4001,
  /** The session or viewer was revoked (signed out, banned). */
  revoked: 4003,
  /** The client did not read fast enough: its unsent data passed the server's limit. */
  slowConsumer: 4008,
  /** More messages per second than allowed. */
  rateLimited: 4029,
} as const;

/** Close codes after which reconnecting with the same credential cannot succeed. */
export function isFinalClose(code: number): boolean {
  return code === CloseCode.authFailed || code === CloseCode.revoked;
}
