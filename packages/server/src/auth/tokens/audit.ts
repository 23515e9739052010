/** What the token endpoints and API key routes report to the app's audit log. */
export interface TokenAuditEvent {
  readonly type:
    | 'token.granted'
    | 'token.grant_failed'
    | 'token.refresh_reused'
    | 'token.revoked'
    | 'api_key.created'
    | 'api_key.revoked';
  /** The account concerned, when known (never for a failed grant: that would confirm the address exists). */
  readonly userId?: number;
  /** The client address as Fastify's trustProxy sees it. */
  readonly ip?: string;
  /** Identifiers only (family id, key id, scopes): never a token, key or password. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Injected by the app (the audit_events table, a log): errors it throws are logged, never sent to the client. */
export type Audit = (event: TokenAuditEvent) => void | Promise<void>;
