/**
 * Sign-in with GitHub against a loopback stand-in for GitHub's endpoints (configured the way
 * OAUTH_GITHUB_*_URL configure them), on both tiers.
 */
import { databaseTiers } from '@composable-svelte/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubProvider } from '../src/auth/oauth/github-provider.js';
import { oauthAccounts } from '../src/auth/oauth/schema.js';
import { users } from '../src/auth/schema.js';
import { APP_ORIGIN, errorCode, finish, oauthHarness, startSignIn } from './support/auth-oauth.js';
import { CLIENT_ID, CLIENT_SECRET, startGitHubStandIn, type GitHubStandIn } from './support/github-stand-in.js';

let github: GitHubStandIn;
const octocat = () => ({
  id: 583231,
  login: 'octocat',
  name: 'The Octocat',
  emails: [
    { email: 'old@example.com', primary: false, verified: true },
    { email: 'octocat@example.com', primary: true, verified: true },
  ],
});

beforeAll(async () => {
  github = await startGitHubStandIn(octocat());
});
afterAll(() => github.close());
beforeEach(() => {
  github.account = octocat();
  github.tokenRequests.length = 0;
});

const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
});

function provider() {
  return createGitHubProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    redirectUri: `${APP_ORIGIN}/auth/github/callback`,
    authorizeUrl: `${github.url}/login/oauth/authorize`,
    tokenUrl: `${github.url}/login/oauth/access_token`,
    apiUrl: github.url,
  });
}

describe.each(await databaseTiers())('GitHub sign-in on $name', (tier) => {
  const harness = () => oauthHarness(tier, [provider()], disposers);

  it('creates the account from the primary, verified address and signs it in again', { timeout: 30_000 }, async () => {
    const { app, database, signedIn } = await harness();
    const first = await finish(app, await startSignIn(app, 'github'));
    expect(first.statusCode, first.body).toBe(303);
    expect(signedIn[0]).toMatchObject({ email: 'octocat@example.com', name: 'The Octocat' });
    expect(signedIn[0]!.emailVerifiedAt).toBeInstanceOf(Date);
    // The code went with its PKCE verifier and the registered redirect URI.
    expect(github.tokenRequests[0]).toMatchObject({
      grant_type: 'authorization_code',
      redirect_uri: `${APP_ORIGIN}/auth/github/callback`,
      code_verifier: expect.stringMatching(/^[\w-]{43,128}$/),
    });
    expect((await finish(app, await startSignIn(app, 'github'))).statusCode).toBe(303);
    expect(signedIn[1]!.id).toBe(signedIn[0]!.id);
    expect(await database.db.select().from(oauthAccounts)).toEqual([
      expect.objectContaining({ provider: 'github', subject: '583231', email: 'octocat@example.com' }),
    ]);
  });

  it('refuses a replayed code (GitHub says bad_verification_code with HTTP 200)', { timeout: 30_000 }, async () => {
    const { app, signedIn } = await harness();
    const callback = await startSignIn(app, 'github');
    expect((await finish(app, callback)).statusCode).toBe(303);
    const replayed = await finish(app, callback);
    expect(replayed.statusCode).toBe(400);
    expect(errorCode(replayed)).toBe('OAUTH_CODE_REFUSED');
    expect(replayed.json().error.message).toMatch(/^GitHub refused the sign-in code \(bad_verification_code\)/);
    expect(signedIn).toHaveLength(1);
  });

  it('refuses a forged state before the code is redeemed', { timeout: 30_000 }, async () => {
    const { app } = await harness();
    const callback = await startSignIn(app, 'github');
    const response = await finish(app, { ...callback, path: callback.path.replace(/state=[^&]+/, 'state=x') });
    expect(errorCode(response)).toBe('OAUTH_STATE_MISMATCH');
    expect(github.tokenRequests).toEqual([]);
  });

  it(
    'does not link an existing account when the primary address is unverified at GitHub',
    { timeout: 30_000 },
    async () => {
      const { app, database, signedIn } = await harness();
      await database.db
        .insert(users)
        .values({ email: 'octocat@example.com', name: 'Owner', passwordHash: '$argon2id$x' });
      github.account = { ...octocat(), emails: [{ email: 'octocat@example.com', primary: true, verified: false }] };
      const response = await finish(app, await startSignIn(app, 'github'));
      expect(response.statusCode).toBe(409);
      expect(errorCode(response)).toBe('OAUTH_EMAIL_UNVERIFIED');
      expect(response.json().error.message).toContain('GitHub has not verified that this address is yours');
      expect(signedIn).toEqual([]);
      expect(await database.db.select().from(oauthAccounts)).toEqual([]);
    },
  );

  it('links an existing account when GitHub verified the primary address', { timeout: 30_000 }, async () => {
    const { app, database, signedIn } = await harness();
    const [owner] = await database.db
      .insert(users)
      .values({ email: 'octocat@example.com', name: 'Owner', emailVerifiedAt: new Date() })
      .returning();
    expect((await finish(app, await startSignIn(app, 'github'))).statusCode).toBe(303);
    expect(signedIn.map((user) => user.id)).toEqual([owner!.id]);
  });
});
