import type { AccountEvent, AuditSink, AuthService } from '@composable-svelte/server/auth';

/** Provider sign-ins, resets and verifications into the same audit log (line and table) as sign-ins. */
export function accountAuditSink(auth: AuthService): AuditSink {
  return ({ type, userId, ip, detail }: AccountEvent) =>
    void auth.audit(undefined, {
      type,
      userId: userId ?? null,
      ...(ip === undefined ? {} : { ip }),
      ...(detail === undefined ? {} : { details: { ...detail } }),
    });
}
