import { collectEvidence, type CollectOptions } from './collect.js';
import { evaluate } from './evaluate.js';
import type { CheckOptions, CheckResult, CheckStatus } from './evidence.js';

export interface AuditOptions extends CollectOptions, CheckOptions {}

export interface AuditReport {
  /** The URL asked for. */
  readonly url: string;
  /** The page audited, after the target's own redirects. */
  readonly target: string;
  /** True when no check failed (warnings and skips allowed). */
  readonly ok: boolean;
  readonly counts: Readonly<Record<CheckStatus, number>>;
  readonly checks: readonly CheckResult[];
}

export function summarize(url: string, target: string, checks: readonly CheckResult[]): AuditReport {
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const check of checks) counts[check.status]++;
  return { url, target, ok: counts.fail === 0, counts, checks };
}

/** Audits a live URL: gathers every response first, then judges them. Throws AuditError when the URL cannot be reached. */
export async function audit(url: string, options: AuditOptions = {}): Promise<AuditReport> {
  const evidence = await collectEvidence(url, options);
  return summarize(url, evidence.target.href, evaluate(evidence, options));
}
