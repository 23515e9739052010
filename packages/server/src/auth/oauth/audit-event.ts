/**
 * An account event for the audit log, as sign-in with a provider, password reset and e-mail
 * verification report it. The app passes a sink that writes the structured log line and the
 * audit table; nothing secret (tokens, passwords, codes) is ever in an event.
 */
export interface AccountEvent {
  readonly type:
    | 'oauth.signed-in'
    | 'oauth.account-created'
    | 'oauth.linked'
    | 'oauth.refused'
    | 'password.reset-requested'
    | 'password.reset'
    | 'email.verification-sent'
    | 'email.verified';
  readonly userId?: number;
  readonly ip?: string;
  readonly detail?: Readonly<Record<string, string | number | boolean>>;
}

export type AuditSink = (event: AccountEvent) => void;
