import { createHmac } from 'node:crypto';
import { accountKeyOf } from './login-throttle.js';

/** Maps a typed e-mail address to a stable pseudonym: the same address, any case, gives the same value. */
export type AccountPseudonym = (email: string) => string;

/**
 * Failed sign-ins are counted and audited per address typed, and what people type into the
 * e-mail field is personal data (sometimes a password, typed into the wrong field). The back-off
 * and the audit trail only need to tell attempts on one address from another, so they keep a
 * keyed hash instead. Keyed with the server's secret: a plain hash of an address is undone by
 * hashing a list of known addresses.
 */
export function accountPseudonym(secret: string): AccountPseudonym {
  return (email) => createHmac('sha256', secret).update(accountKeyOf(email)).digest('base64url');
}
