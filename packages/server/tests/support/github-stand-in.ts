/**
 * A loopback stand-in for github.com's OAuth endpoints and the two REST calls sign-in makes, strict
 * where GitHub is: client credentials by Basic auth, a code redeemable once and only with the PKCE
 * verifier of its challenge, errors reported as HTTP 200 with an `error` field.
 */
import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';

export interface GitHubAccount {
  id: number;
  login: string;
  name: string | null;
  emails: { email: string; primary: boolean; verified: boolean }[];
}

export interface GitHubStandIn {
  readonly url: string;
  /** Who approves the next authorization request. */
  account: GitHubAccount;
  /** The token requests received, for checking what the client sent. */
  readonly tokenRequests: Record<string, string>[];
  close(): Promise<void>;
}

export const CLIENT_ID = 'gh-client';
export const CLIENT_SECRET = 'gh-secret';

export async function startGitHubStandIn(account: GitHubAccount): Promise<GitHubStandIn> {
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  const codes = new Map<string, { challenge: string; account: GitHubAccount }>();
  const tokens = new Map<string, GitHubAccount>();
  const tokenRequests: Record<string, string>[] = [];
  const standIn = { account, tokenRequests } as GitHubStandIn;

  app.get<{ Querystring: Record<string, string> }>('/login/oauth/authorize', async (request, reply) => {
    const { client_id, redirect_uri, state, code_challenge, code_challenge_method } = request.query;
    if (client_id !== CLIENT_ID || code_challenge_method !== 'S256' || !code_challenge || !redirect_uri)
      return reply.code(400).send('bad authorization request');
    const code = randomBytes(10).toString('hex');
    codes.set(code, { challenge: code_challenge, account: standIn.account });
    const back = new URL(redirect_uri);
    back.searchParams.set('code', code);
    if (state) back.searchParams.set('state', state);
    return reply.redirect(back.href, 302);
  });

  app.post<{ Body: Record<string, string> }>('/login/oauth/access_token', async (request) => {
    tokenRequests.push(request.body);
    const expected = `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}`;
    if (request.headers.authorization !== expected) return { error: 'incorrect_client_credentials' };
    const issued = codes.get(request.body.code ?? '');
    codes.delete(request.body.code ?? '');
    if (!issued)
      return { error: 'bad_verification_code', error_description: 'The code passed is incorrect or expired.' };
    const challenge = createHash('sha256')
      .update(request.body.code_verifier ?? '')
      .digest('base64url');
    if (challenge !== issued.challenge) return { error: 'bad_verification_code' };
    const accessToken = `gho_${randomBytes(12).toString('hex')}`;
    tokens.set(accessToken, issued.account);
    return { access_token: accessToken, token_type: 'bearer', scope: 'read:user,user:email' };
  });

  const signedIn = (authorization: string | undefined) => tokens.get(authorization?.replace(/^Bearer /, '') ?? '');
  app.get('/user', async (request, reply) => {
    const who = signedIn(request.headers.authorization);
    if (!who) return reply.code(401).send({ message: 'Bad credentials' });
    return { id: who.id, login: who.login, name: who.name, email: null };
  });
  app.get('/user/emails', async (request, reply) => {
    const who = signedIn(request.headers.authorization);
    if (!who) return reply.code(401).send({ message: 'Bad credentials' });
    return who.emails.map((entry) => ({ ...entry, visibility: entry.primary ? 'private' : null }));
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return Object.assign(standIn, { url: `http://127.0.0.1:${port}`, close: () => app.close() });
}
