import type { PresenceMeta, PresenceState } from './protocol.js';

/**
 * Applies a presence diff (Phoenix's semantics): joins add or replace metas by `ref`, leaves remove
 * them, and a key with no meta left is gone. Idempotent, so a diff that overlaps the initial state
 * (sent while the join was in flight) changes nothing twice. Keys are viewers: several tabs of one
 * viewer are one key with several metas.
 */
export function applyPresenceDiff(state: PresenceState, joins?: PresenceState, leaves?: PresenceState): PresenceState {
  const next: Record<string, readonly PresenceMeta[]> = { ...state };
  for (const [key, metas] of Object.entries(joins ?? {})) {
    const refs = new Set(metas.map((meta) => meta.ref));
    next[key] = [...(next[key] ?? []).filter((meta) => !refs.has(meta.ref)), ...metas];
  }
  for (const [key, metas] of Object.entries(leaves ?? {})) {
    const refs = new Set(metas.map((meta) => meta.ref));
    const left = (next[key] ?? []).filter((meta) => !refs.has(meta.ref));
    if (left.length > 0) next[key] = left;
    else delete next[key];
  }
  return next;
}
