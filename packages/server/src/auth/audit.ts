import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/open-database.js';
import { auditEvents } from './schema.js';

/** Event types the framework writes; other modules add their own (`token.reuse`, `key.create`, …). */
export type AuditEventType =
  | 'login.success'
  | 'login.failure'
  | 'login.throttled'
  | 'logout'
  | 'signup'
  | 'password.change'
  | 'session.revoke'
  | 'session.revoke_all'
  | 'role.change'
  | (string & {});

export interface AuditEvent {
  readonly type: AuditEventType;
  /** Whose account it concerns (null: none, e.g. a failed sign-in for an unknown address). */
  readonly userId?: number | null;
  /** Who did it, when not the subject (an admin changing someone's roles). */
  readonly actorId?: number | null;
  readonly ip?: string;
  readonly requestId?: string;
  /** Never a password, token or hash. */
  readonly details?: Record<string, unknown>;
}

export interface AuditLogger {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Records a security event twice: a structured log line (`audit: <type>`) for log pipelines and
 * alerting, and a row in `auth_audit_events` for the app's own history. The action it records has
 * already happened, so a failed write is logged, not thrown.
 */
export async function audit(db: Db<Record<string, unknown>>, logger: AuditLogger, event: AuditEvent): Promise<void> {
  const row = {
    type: event.type,
    userId: event.userId ?? null,
    actorId: event.actorId ?? null,
    ip: event.ip ?? null,
    requestId: event.requestId ?? null,
    details: event.details ?? {},
  };
  logger.info({ audit: row.type, ...row }, `audit: ${row.type}`);
  try {
    await db.insert(auditEvents).values(row);
  } catch (error) {
    logger.error({ err: error, audit: row.type }, 'audit event not stored');
  }
}

/** The request's client address and id, for an event caused by a request. */
export function requestOrigin(request: FastifyRequest): { ip: string; requestId: string } {
  return { ip: request.ip, requestId: String(request.id) };
}
