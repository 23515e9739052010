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

/** One of the viewer's API keys, as the account page lists it: never the secret. */
export interface ApiKeyView {
  readonly id: string;
  readonly name: string;
  /** The key's visible start (prefix and id), enough to recognise it. */
  readonly displayPrefix: string;
  readonly scopes: readonly string[];
  readonly createdAt: string;
  readonly lastUsedAt: string | null;
}

/** The viewer's API keys and the scopes a new key may have. */
export interface ApiKeyList {
  readonly keys: readonly ApiKeyView[];
  readonly scopes: readonly string[];
}

/**
 * The key just made, on the page its form's POST answered: the one time it is shown. Never in a
 * cookie, the database or a cached page.
 */
export interface CreatedApiKey {
  readonly name: string;
  readonly key: string;
}

/** The API key form the server refused, shown again with why. */
export interface ApiKeyForm {
  readonly message: string | null;
  readonly name: string;
}

/** A provider one can sign in with (`GET /auth/<id>`). */
export interface SignInProvider {
  readonly id: string;
  readonly label: string;
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
  readonly apiKeys: ApiKeyList | null;
  readonly createdApiKey: CreatedApiKey | null;
  readonly apiKeyForm: ApiKeyForm;
  /** Providers configured for sign-in (OAuth/OIDC); none when the environment names none. */
  readonly providers: readonly SignInProvider[];
}

export const emptyAccountForm: AccountForm = { message: null, email: '', name: '' };
export const emptyApiKeyForm: ApiKeyForm = { message: null, name: '' };

export function initialAccountState(enabled: boolean, viewer: Viewer | null): AccountState {
  return {
    enabled,
    viewer,
    csrfToken: null,
    flash: null,
    form: emptyAccountForm,
    sessions: null,
    apiKeys: null,
    createdApiKey: null,
    apiKeyForm: emptyApiKeyForm,
    providers: [],
  };
}
