import { and, desc, eq, gt, lte, ne, or } from 'drizzle-orm';
import type { Db } from '../db/open-database.js';
import type { CachedSession, SessionCache } from './session-cache.js';
import { sessions, users } from './schema.js';
import { generateSessionToken, isWellFormedSessionToken, sessionIdOf } from './session-token.js';

export interface SessionStoreOptions {
  readonly db: Db<Record<string, unknown>>;
  /** Sliding idle expiry. */
  readonly idleMs: number;
  /** Lifetime from sign-in, whatever the use. */
  readonly absoluteMs: number;
  /** Last-seen (and the sliding deadline) is written at most this often per session. */
  readonly touchMs: number;
  readonly cache?: SessionCache;
  readonly now?: () => Date;
}

/** One row of "your sessions": what the person needs to recognise a device, nothing secret. */
export interface SessionInfo {
  readonly id: string;
  readonly userAgent: string;
  readonly createdAt: Date;
  readonly lastSeenAt: Date;
  readonly expiresAt: Date;
}

export interface SessionStore {
  /** A new session: the token goes in the cookie, only its hash is stored. */
  create(userId: number, meta?: { userAgent?: string }): Promise<{ token: string; session: CachedSession }>;
  /** The live session a token names, with its viewer; undefined when unknown, expired or revoked. */
  validate(token: string): Promise<CachedSession | undefined>;
  revoke(id: string): Promise<void>;
  /** Every session of a user but `exceptId` (the one making the request, for "sign out other devices"). */
  revokeAllForUser(userId: number, exceptId?: string): Promise<number>;
  list(userId: number): Promise<SessionInfo[]>;
  /** Forgets cached sessions of a user whose roles or name changed, so every instance reads them again. */
  refreshUser(userId: number): Promise<void>;
  /** Deletes expired rows (housekeeping; lookups already refuse them). */
  deleteExpired(): Promise<number>;
}

const USER_AGENT_MAX = 512;

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { db, idleMs, absoluteMs, touchMs, cache } = options;
  const now = options.now ?? (() => new Date());

  const live = (session: CachedSession, at: Date) =>
    session.idleExpiresAt.getTime() > at.getTime() && session.absoluteExpiresAt.getTime() > at.getTime();

  async function load(id: string): Promise<CachedSession | undefined> {
    const [row] = await db
      .select({
        id: sessions.id,
        createdAt: sessions.createdAt,
        lastSeenAt: sessions.lastSeenAt,
        idleExpiresAt: sessions.idleExpiresAt,
        absoluteExpiresAt: sessions.absoluteExpiresAt,
        userAgent: sessions.userAgent,
        userId: users.id,
        name: users.name,
        roles: users.roles,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, id));
    if (!row) return undefined;
    const { userId, name, roles, ...session } = row;
    return { ...session, viewer: { id: userId, name, roles } };
  }

  /** Slides the idle deadline and records use; rare enough (once per touchMs) to cost nothing per request. */
  async function touch(session: CachedSession, at: Date): Promise<CachedSession> {
    if (at.getTime() - session.lastSeenAt.getTime() < touchMs) return session;
    const idleExpiresAt = new Date(Math.min(at.getTime() + idleMs, session.absoluteExpiresAt.getTime()));
    await db.update(sessions).set({ lastSeenAt: at, idleExpiresAt }).where(eq(sessions.id, session.id));
    return { ...session, lastSeenAt: at, idleExpiresAt };
  }

  return {
    async create(userId, meta = {}) {
      const token = generateSessionToken();
      const at = now();
      const absoluteExpiresAt = new Date(at.getTime() + absoluteMs);
      const row = {
        id: sessionIdOf(token),
        userId,
        createdAt: at,
        lastSeenAt: at,
        idleExpiresAt: new Date(Math.min(at.getTime() + idleMs, absoluteExpiresAt.getTime())),
        absoluteExpiresAt,
        userAgent: (meta.userAgent ?? '').slice(0, USER_AGENT_MAX),
      };
      await db.insert(sessions).values(row);
      const session = await load(row.id);
      if (!session) throw new Error(`The session for user ${userId} vanished as it was created`);
      return { token, session };
    },

    async validate(token) {
      if (!isWellFormedSessionToken(token)) return undefined;
      const id = sessionIdOf(token);
      const at = now();
      const cached = cache?.get(id);
      const found = cached ?? (await load(id));
      if (!found) return undefined;
      if (!live(found, at)) {
        await db.delete(sessions).where(eq(sessions.id, id));
        await cache?.invalidate({ ids: [id] });
        return undefined;
      }
      const touched = await touch(found, at);
      cache?.set(touched);
      return touched;
    },

    async revoke(id) {
      await db.delete(sessions).where(eq(sessions.id, id));
      await cache?.invalidate({ ids: [id] });
    },

    async revokeAllForUser(userId, exceptId) {
      const condition =
        exceptId === undefined
          ? eq(sessions.userId, userId)
          : and(eq(sessions.userId, userId), ne(sessions.id, exceptId));
      const removed = await db.delete(sessions).where(condition).returning({ id: sessions.id });
      await cache?.invalidate({ ids: removed.map((row) => row.id) });
      return removed.length;
    },

    async list(userId) {
      const at = now();
      const rows = await db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), gt(sessions.idleExpiresAt, at), gt(sessions.absoluteExpiresAt, at)))
        .orderBy(desc(sessions.lastSeenAt));
      return rows.map((row) => ({
        id: row.id,
        userAgent: row.userAgent,
        createdAt: row.createdAt,
        lastSeenAt: row.lastSeenAt,
        expiresAt: row.idleExpiresAt,
      }));
    },

    async refreshUser(userId) {
      await cache?.invalidate({ userId });
    },

    async deleteExpired() {
      const at = now();
      const removed = await db
        .delete(sessions)
        .where(or(lte(sessions.idleExpiresAt, at), lte(sessions.absoluteExpiresAt, at)))
        .returning({ id: sessions.id });
      return removed.length;
    },
  };
}
