import type { FastifyRequest } from 'fastify';

/** Who is signed in, as pages and the app state see them: nothing secret, safe to serialize. */
export interface Viewer {
  readonly id: number;
  readonly name: string;
  readonly roles: readonly string[];
}

/** A viewer plus how the request proved it, which bounds what the request may do. */
export interface Principal {
  readonly viewer: Viewer;
  readonly via: 'session' | 'access-token' | 'api-key';
  /** What a token or key was granted; a session may do whatever its viewer's roles allow. */
  readonly scopes: readonly string[] | 'all';
  /** The session's id (its token's hash, never the token) when `via` is `session`. */
  readonly sessionId?: string;
}

/**
 * One way of proving who sent a request (a session cookie, a bearer access token, an API key).
 * Gives `undefined` when the request carries no credential of this kind, so the next one is
 * tried — synchronously if it can tell at once, which spares the anonymous requests most sites
 * serve a promise per authenticator; rejects with a 401 HttpError when it carries one that is
 * invalid, expired or revoked, since falling back to anonymous would hide the failure from the
 * client.
 */
export type Authenticator = (request: FastifyRequest) => Principal | undefined | Promise<Principal | undefined>;
