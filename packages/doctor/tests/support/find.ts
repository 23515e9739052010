import { expect } from 'vitest';
import { evaluate, type CheckOptions, type CheckResult, type Evidence } from '../../src/index.js';

/** The one result with this id, from the full evaluation. */
export function check(evidence: Evidence, id: string, options: CheckOptions = {}): CheckResult {
  const found = evaluate(evidence, options).filter((r) => r.id === id);
  expect(found, `exactly one ${id} result`).toHaveLength(1);
  return found[0]!;
}
