import { eq, sql } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/open-database.js';
import { badRequest, conflict, HttpError } from '../errors/http-error.js';
import { parseEmail, parseName, parseRoles } from './account-input.js';
import { audit, requestOrigin, type AuditEvent } from './audit.js';
import { invalidCredentials, TooManyAttemptsError } from './auth-errors.js';
import type { AuthCookies } from './cookies.js';
import { describeDevice } from './device.js';
import type { IpLimiter } from './ip-limiter.js';
import type { AccountPseudonym } from './account-pseudonym.js';
import { accountKeyOf, type LoginThrottle } from './login-throttle.js';
import {
  createDummyHash,
  hashPassword,
  PASSWORD_MAX_LENGTH,
  verifyPassword,
  type PasswordHashParams,
} from './password.js';
import { checkPasswordStrength, type PasswordStrength } from './password-strength.js';
import type { Authenticator, Principal, Viewer } from './principal.js';
import { users } from './schema.js';
import type { SessionInfo, SessionStore } from './session-store.js';

export interface FlashMessage {
  readonly kind: 'success' | 'error' | 'info';
  readonly text: string;
}

export interface ListedSession extends SessionInfo {
  /** "Firefox on Linux", from the user agent at sign-in. */
  readonly device: string;
  /** The session this request is using. */
  readonly current: boolean;
}

/** Everything an app (and the token and OAuth modules) does with accounts and sessions, as `fastify.auth`. */
export interface AuthService {
  readonly sessions: SessionStore;
  readonly cookies: AuthCookies;
  readonly passwordParams: PasswordHashParams;
  hashPassword(password: string): Promise<string>;
  checkPasswordStrength(password: string, userInputs?: readonly string[]): PasswordStrength;
  /** Creates an account with a password (strength-checked) and signs the request in. */
  signUp(request: FastifyRequest, reply: FastifyReply, input: SignUpInput): Promise<Viewer>;
  /** Checks e-mail and password (401 INVALID_CREDENTIALS, one message for every failure) and signs in. */
  logIn(request: FastifyRequest, reply: FastifyReply, input: LogInInput): Promise<Viewer>;
  /** The viewer an e-mail and password prove, for non-cookie flows (token endpoints); same checks and limits as logIn. */
  verifyCredentials(request: FastifyRequest, input: LogInInput): Promise<Viewer>;
  /**
   * The same check without a request (the token plugin's `verifyCredentials`, which limits per IP
   * itself): undefined for any failure, after the same timing-equal work; the per-account back-off
   * still applies (TooManyAttemptsError).
   */
  checkEmailPassword(email: string, password: string): Promise<Viewer | undefined>;
  /** Tried after the session cookie, in order, from the next request on (bearer tokens, API keys). */
  addAuthenticator(authenticator: Authenticator): void;
  /**
   * Runs whenever every sign-in of a user ends (sign out everywhere, a password change or reset),
   * so credentials kept elsewhere end too: e.g. the token plugin's `refreshTokens.revokeUser`.
   */
  onSignOutEverywhere(hook: (userId: number, reason: string) => Promise<unknown>): void;
  readonly authenticators: readonly Authenticator[];
  /** A new session for an already proven user (OAuth, a reset link): the request's old session ends. */
  startSession(request: FastifyRequest, reply: FastifyReply, userId: number, method: string): Promise<Viewer>;
  logOut(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Ends every session of the signed-in user, this one included. */
  signOutEverywhere(request: FastifyRequest, reply: FastifyReply): Promise<number>;
  /** Ends one of the signed-in user's own sessions (another device); false when it is not theirs. */
  revokeSession(request: FastifyRequest, reply: FastifyReply, sessionId: string): Promise<boolean>;
  /** Ends every session of a user (after a password reset), from any request. */
  revokeAllSessions(userId: number, reason: string, request?: FastifyRequest): Promise<number>;
  listSessions(request: FastifyRequest): Promise<ListedSession[]>;
  changePassword(request: FastifyRequest, reply: FastifyReply, input: ChangePasswordInput): Promise<void>;
  /** Replaces a user's roles (audited with the acting user); a change to one's own roles rotates the session. */
  setRoles(request: FastifyRequest, reply: FastifyReply, userId: number, roles: readonly string[]): Promise<Viewer>;
  /** A new session id for the same sign-in, after a privilege change. */
  rotateSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  audit(request: FastifyRequest | undefined, event: AuditEvent): Promise<void>;
  setFlash(reply: FastifyReply, message: FlashMessage): void;
  /** Reads and clears the flash message a redirect left (its page becomes private). */
  takeFlash(request: FastifyRequest, reply: FastifyReply): FlashMessage | undefined;
}

export interface SignUpInput {
  readonly email?: unknown;
  readonly name?: unknown;
  readonly password?: unknown;
}
export interface LogInInput {
  readonly email?: unknown;
  readonly password?: unknown;
}
export interface ChangePasswordInput {
  readonly currentPassword?: unknown;
  readonly newPassword?: unknown;
}

export interface AuthServiceOptions {
  readonly db: Db<Record<string, unknown>>;
  readonly sessions: SessionStore;
  readonly cookies: AuthCookies;
  readonly passwordParams: PasswordHashParams;
  readonly passwordMinScore: number;
  readonly throttle: LoginThrottle;
  /** What the throttle and the audit trail keep of a typed address instead of the address. */
  readonly pseudonym: AccountPseudonym;
  readonly ipLimiter: IpLimiter;
  readonly authenticators?: readonly Authenticator[];
  readonly logger: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

const UNIQUE_VIOLATION = '23505';

function isUniqueViolation(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Object && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

function signedInWithSession(request: FastifyRequest): Principal & { sessionId: string } {
  const principal = request.principal;
  if (!principal) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to continue.');
  if (principal.via !== 'session' || principal.sessionId === undefined)
    throw new HttpError(403, 'SESSION_REQUIRED', 'This needs a signed-in browser session, not a token or key.');
  return principal as Principal & { sessionId: string };
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  const { db, sessions, cookies, passwordParams, throttle, pseudonym, ipLimiter, logger } = options;
  const dummyHash = createDummyHash(passwordParams);
  const authenticators: Authenticator[] = [...(options.authenticators ?? [])];
  const signOutHooks: ((userId: number, reason: string) => Promise<unknown>)[] = [];
  const endEverySignIn = async (userId: number, reason: string) => {
    for (const hook of signOutHooks) await hook(userId, reason);
  };

  const record = (request: FastifyRequest | undefined, event: AuditEvent) =>
    audit(db, request?.log ?? logger, { ...(request ? requestOrigin(request) : {}), ...event });

  const viewerOf = (user: { id: number; name: string; roles: string[] }): Viewer => ({
    id: user.id,
    name: user.name,
    roles: user.roles,
  });

  const findByEmail = async (email: string) => {
    const [user] = await db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${accountKeyOf(email)}`);
    return user;
  };

  const clearSessionCookie = (reply: FastifyReply) => {
    const { path, secure, httpOnly, sameSite } = cookies.session.options;
    reply.clearCookie(cookies.session.name, { path, secure, httpOnly, sameSite });
  };

  const startSession = async (request: FastifyRequest, reply: FastifyReply, userId: number, method: string) => {
    // Never reuse an id the browser arrived with: a planted or stolen one dies here (no fixation).
    const previous = request.principal?.via === 'session' ? request.principal.sessionId : undefined;
    if (previous !== undefined) await sessions.revoke(previous);
    const { token, session } = await sessions.create(userId, { userAgent: request.headers['user-agent'] ?? '' });
    reply.setCookie(cookies.session.name, token, cookies.session.options);
    request.principal = { viewer: session.viewer, via: 'session', scopes: 'all', sessionId: session.id };
    request.log.debug({ userId, method }, 'session started');
    return session.viewer;
  };

  const limitIp = async (action: string, request: FastifyRequest) => {
    const wait = await ipLimiter.hit(action, request.ip);
    if (wait > 0) {
      await record(request, { type: `${action}.throttled`, details: { scope: 'ip' } });
      throw new TooManyAttemptsError(wait);
    }
  };

  /**
   * Every failure takes the same path: one user lookup, one Argon2id verification (against a
   * dummy hash when there is no account or no password), one throttle write, one audit row.
   */
  const checkCredentials = async (
    request: FastifyRequest | undefined,
    email: string,
    password: string,
  ): Promise<Viewer | undefined> => {
    const key = pseudonym(email);
    const wait = await throttle.waitMs(key);
    if (wait > 0) {
      await record(request, { type: 'login.throttled', details: { scope: 'account', account: key } });
      throw new TooManyAttemptsError(wait);
    }
    const user = accountKeyOf(email).length <= 254 ? await findByEmail(email) : undefined;
    const stored = user?.passwordHash ?? (await dummyHash());
    // Longer than any password sign-up accepts: cannot match, but still costs one verification.
    const candidate = [...password].length <= PASSWORD_MAX_LENGTH ? password : '';
    const check = await verifyPassword(stored, candidate, passwordParams);
    if (!user?.passwordHash || !check.ok || candidate === '') {
      await throttle.failed(key);
      await record(request, {
        type: 'login.failure',
        userId: user?.id ?? null,
        details: { account: key, reason: user ? 'wrong-password' : 'unknown-account' },
      });
      return undefined;
    }
    await throttle.succeeded(key);
    if (check.needsRehash) {
      // Parameters changed since this hash was made; the password is at hand only now.
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(password, passwordParams), updatedAt: new Date() })
        .where(eq(users.id, user.id));
    }
    return viewerOf(user);
  };

  const verifyCredentials = async (request: FastifyRequest, input: LogInInput): Promise<Viewer> => {
    await limitIp('login', request);
    const email = typeof input.email === 'string' ? input.email.trim() : '';
    const password = typeof input.password === 'string' ? input.password : '';
    if (email === '' || password === '') throw badRequest('Enter your e-mail address and password.');
    const viewer = await checkCredentials(request, email, password);
    if (!viewer) throw invalidCredentials();
    return viewer;
  };

  const strength = (password: string, userInputs: readonly string[] = []) =>
    checkPasswordStrength(password, { minScore: options.passwordMinScore, userInputs });

  const requireStrong = (password: unknown, userInputs: readonly string[]): string => {
    if (typeof password !== 'string' || password === '')
      throw badRequest('Enter a password.', { details: { field: 'password' } });
    const result = strength(password, userInputs);
    if (!result.ok)
      throw new HttpError(400, 'WEAK_PASSWORD', result.problems.join(' '), {
        details: { field: 'password', score: result.score, problems: result.problems },
      });
    return password;
  };

  return {
    sessions,
    cookies,
    passwordParams,
    hashPassword: (password) => hashPassword(password, passwordParams),
    checkPasswordStrength: strength,

    async signUp(request, reply, input) {
      await limitIp('signup', request);
      const email = parseEmail(input.email);
      const name = parseName(input.name);
      const password = requireStrong(input.password, [email, name]);
      const passwordHash = await hashPassword(password, passwordParams);
      let created: { id: number } | undefined;
      try {
        [created] = await db.insert(users).values({ email, name, passwordHash }).returning({ id: users.id });
      } catch (error) {
        if (isUniqueViolation(error))
          throw conflict('An account with this e-mail address already exists. Sign in instead.', {
            details: { field: 'email', code: 'EMAIL_TAKEN' },
          });
        throw error;
      }
      await record(request, { type: 'signup', userId: created!.id });
      const viewer = await startSession(request, reply, created!.id, 'signup');
      await record(request, { type: 'login.success', userId: viewer.id, details: { method: 'signup' } });
      return viewer;
    },

    async logIn(request, reply, input) {
      const viewer = await verifyCredentials(request, input);
      await startSession(request, reply, viewer.id, 'password');
      await record(request, { type: 'login.success', userId: viewer.id, details: { method: 'password' } });
      return viewer;
    },

    verifyCredentials,
    checkEmailPassword: (email, password) => checkCredentials(undefined, email.trim(), password),
    addAuthenticator(authenticator) {
      authenticators.push(authenticator);
    },
    onSignOutEverywhere(hook) {
      signOutHooks.push(hook);
    },
    authenticators,
    startSession,

    async logOut(request, reply) {
      const principal = request.principal;
      if (principal?.via === 'session' && principal.sessionId !== undefined) {
        await sessions.revoke(principal.sessionId);
        await record(request, { type: 'logout', userId: principal.viewer.id });
      }
      clearSessionCookie(reply);
      request.principal = null;
    },

    async signOutEverywhere(request, reply) {
      const principal = signedInWithSession(request);
      const count = await sessions.revokeAllForUser(principal.viewer.id);
      await endEverySignIn(principal.viewer.id, 'sign-out-everywhere');
      await record(request, { type: 'session.revoke_all', userId: principal.viewer.id, details: { count } });
      clearSessionCookie(reply);
      request.principal = null;
      return count;
    },

    async revokeSession(request, reply, sessionId) {
      const principal = signedInWithSession(request);
      const own = await sessions.list(principal.viewer.id);
      if (!own.some((session) => session.id === sessionId)) return false;
      await sessions.revoke(sessionId);
      await record(request, { type: 'session.revoke', userId: principal.viewer.id });
      if (sessionId === principal.sessionId) {
        clearSessionCookie(reply);
        request.principal = null;
      }
      return true;
    },

    async revokeAllSessions(userId, reason, request) {
      const count = await sessions.revokeAllForUser(userId);
      await endEverySignIn(userId, reason);
      await record(request, { type: 'session.revoke_all', userId, details: { count, reason } });
      return count;
    },

    async listSessions(request) {
      const principal = signedInWithSession(request);
      const list = await sessions.list(principal.viewer.id);
      return list.map((session) => ({
        ...session,
        device: describeDevice(session.userAgent),
        current: session.id === principal.sessionId,
      }));
    },

    async changePassword(request, reply, input) {
      const principal = signedInWithSession(request);
      const [user] = await db.select().from(users).where(eq(users.id, principal.viewer.id));
      if (!user) throw new HttpError(401, 'UNAUTHENTICATED', 'Sign in to continue.');
      const key = pseudonym(user.email);
      const wait = await throttle.waitMs(key);
      if (wait > 0) throw new TooManyAttemptsError(wait);
      const current = typeof input.currentPassword === 'string' ? input.currentPassword : '';
      // An account without a password (provider sign-in only) sets its first one without a current one.
      if (user.passwordHash) {
        const check = await verifyPassword(user.passwordHash, current, passwordParams);
        if (!check.ok) {
          await throttle.failed(key);
          await record(request, { type: 'password.change_failure', userId: user.id });
          throw new HttpError(400, 'WRONG_PASSWORD', 'The current password is incorrect.', {
            details: { field: 'currentPassword' },
          });
        }
      }
      const next = requireStrong(input.newPassword, [user.email, user.name]);
      await db
        .update(users)
        .set({ passwordHash: await hashPassword(next, passwordParams), updatedAt: new Date() })
        .where(eq(users.id, user.id));
      // Whoever else knew the old password is signed out; this browser continues on a new id.
      const others = await sessions.revokeAllForUser(user.id, principal.sessionId);
      await endEverySignIn(user.id, 'password-change');
      await startSession(request, reply, user.id, 'password-change');
      await record(request, { type: 'password.change', userId: user.id, details: { otherSessionsEnded: others } });
    },

    async setRoles(request, reply, userId, roles) {
      const next = parseRoles(roles);
      const [before] = await db.select({ roles: users.roles }).from(users).where(eq(users.id, userId));
      if (!before) throw new HttpError(404, 'NOT_FOUND', `No user with id ${userId}.`);
      const [updated] = await db
        .update(users)
        .set({ roles: next, updatedAt: new Date() })
        .where(eq(users.id, userId))
        .returning();
      await sessions.refreshUser(userId);
      await record(request, {
        type: 'role.change',
        userId,
        actorId: request.principal?.viewer.id ?? null,
        details: { from: before.roles, to: next },
      });
      const principal = request.principal;
      if (principal?.via === 'session' && principal.viewer.id === userId)
        await startSession(request, reply, userId, 'role-change');
      return viewerOf(updated!);
    },

    async rotateSession(request, reply) {
      const principal = signedInWithSession(request);
      await startSession(request, reply, principal.viewer.id, 'rotation');
    },

    audit: record,

    setFlash(reply, message) {
      const value = Buffer.from(JSON.stringify({ kind: message.kind, text: message.text }), 'utf8').toString(
        'base64url',
      );
      reply.setCookie(cookies.flash.name, value, cookies.flash.options);
    },

    takeFlash(request, reply) {
      const raw = request.cookies[cookies.flash.name];
      if (raw === undefined) return undefined;
      const { path, secure, httpOnly, sameSite } = cookies.flash.options;
      reply.clearCookie(cookies.flash.name, { path, secure, httpOnly, sameSite });
      const unsigned = request.unsignCookie(raw);
      if (!unsigned.valid || unsigned.value === null) return undefined;
      try {
        const parsed = JSON.parse(Buffer.from(unsigned.value, 'base64url').toString('utf8')) as Partial<FlashMessage>;
        const kinds = ['success', 'error', 'info'];
        if (typeof parsed.text !== 'string' || !kinds.includes(String(parsed.kind))) return undefined;
        return { kind: parsed.kind as FlashMessage['kind'], text: parsed.text.slice(0, 500) };
      } catch {
        return undefined;
      }
    },
  };
}
