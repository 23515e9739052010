import { expect } from 'vitest';
import type { BlogServer } from './form-browser.js';

/** A password every test account uses: long and unusual enough for the strength check. */
export const TEST_PASSWORD = 'quiet-harbour-lantern-58';

/** A script's CSRF pair: the cookie and the token that goes with it (GET /api/csrf). */
export async function csrfSession(server: BlogServer): Promise<{ cookie: string; token: string }> {
  const csrf = await server.inject('/api/csrf');
  expect(csrf.statusCode, csrf.body).toBe(200);
  return { cookie: String(csrf.headers['set-cookie']).split(';')[0]!, token: csrf.json<{ token: string }>().token };
}

/**
 * A new account signed up through the form, as a script holding cookies: its CSRF cookie and
 * session cookie in one header, and the CSRF token for JSON requests (`x-csrf-token`).
 */
export async function signedInSession(
  server: BlogServer,
  account: { name: string; email: string },
): Promise<{ cookie: string; token: string }> {
  const { cookie, token } = await csrfSession(server);
  const signup = await server.inject({
    method: 'POST',
    url: '/signup',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ ...account, password: TEST_PASSWORD, _csrf: token }).toString(),
  });
  expect(signup.statusCode, signup.body).toBe(303);
  const session = [signup.headers['set-cookie']]
    .flat()
    .map(String)
    .find((line) => line.startsWith('__Host-session='))!
    .split(';')[0]!;
  return { cookie: `${cookie}; ${session}`, token };
}
