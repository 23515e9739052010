/** RFC 6749 §3.3: a scope name is one or more printable ASCII characters except space, `"` and `\`. */
const SCOPE_NAME = /^[\x21\x23-\x5B\x5D-\x7E]{1,64}$/;
const MAX_SCOPES = 32;

/** Which scopes a viewer may be granted: the configured list, or an app's own rule (e.g. by role). */
export type AllowedScopes = (viewer: { readonly id: number; readonly roles: readonly string[] }) => readonly string[];

export type ScopeRequest =
  { readonly ok: true; readonly scopes: readonly string[] } | { readonly ok: false; readonly problem: string };

/**
 * Reads the scopes a request asks for (a space-separated string, or an array for JSON clients) and
 * checks they are among `allowed`. None asked for means all of `allowed`, as RFC 6749 lets a server
 * choose its default.
 */
export function requestScopes(value: unknown, allowed: readonly string[]): ScopeRequest {
  if (value === undefined || value === null || value === '') return { ok: true, scopes: [...allowed] };
  const names = typeof value === 'string' ? value.split(' ') : value;
  if (!Array.isArray(names) || names.length > MAX_SCOPES) {
    return { ok: false, problem: `scope must be a space-separated string or an array of at most ${MAX_SCOPES} names` };
  }
  const bad = names.find((name) => typeof name !== 'string' || !SCOPE_NAME.test(name));
  if (bad !== undefined) return { ok: false, problem: `${JSON.stringify(bad)} is not a scope name` };
  const unknown = (names as string[]).filter((name) => !allowed.includes(name));
  if (unknown.length > 0) {
    return { ok: false, problem: `scope not allowed: ${unknown.join(' ')} (allowed: ${allowed.join(' ') || 'none'})` };
  }
  return { ok: true, scopes: [...new Set(names as string[])] };
}
