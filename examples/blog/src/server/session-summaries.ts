import type { ListedSession } from '@composable-svelte/server/auth';
import type { SessionSummary } from '../shared/account.js';

/** The viewer's sessions as the account page and the API show them. */
export function sessionSummaries(sessions: readonly ListedSession[]): SessionSummary[] {
  return sessions.map((session) => ({
    id: session.id,
    device: session.device,
    createdAt: session.createdAt.toISOString(),
    lastSeenAt: session.lastSeenAt.toISOString(),
    current: session.current,
  }));
}
