/** Who is signed in: what the server's viewer carries (nothing secret), serialized with the state. */
export interface Viewer {
  readonly id: number;
  readonly name: string;
  readonly roles: readonly string[];
}

/** One signed-in device, as the account page lists it. */
export interface SessionSummary {
  readonly id: string;
  readonly device: string;
  readonly createdAt: string;
  readonly lastSeenAt: string;
  readonly current: boolean;
}

export interface Flash {
  readonly kind: 'success' | 'error' | 'info';
  readonly text: string;
}

/** A form the server refused, shown again with what was typed (never the password) and why. */
export interface AccountForm {
  readonly message: string | null;
  readonly email: string;
  readonly name: string;
}

export interface AccountState {
  /** Accounts exist on this server (it has a database); otherwise no sign-in links are shown. */
  readonly enabled: boolean;
  readonly viewer: Viewer | null;
  /** For the sign-in forms and the sign-out button; only ever on a private page. */
  readonly csrfToken: string | null;
  readonly flash: Flash | null;
  readonly form: AccountForm;
  readonly sessions: readonly SessionSummary[] | null;
}

export const emptyAccountForm: AccountForm = { message: null, email: '', name: '' };

export function initialAccountState(enabled: boolean, viewer: Viewer | null): AccountState {
  return { enabled, viewer, csrfToken: null, flash: null, form: emptyAccountForm, sessions: null };
}
