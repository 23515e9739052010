import type { CheckResult, Evidence } from '../evidence.js';
import { describeResponse, mediaType, succeeded, type ObservedResponse } from '../observed.js';

function answers(id: string, response: ObservedResponse, purpose: string): CheckResult {
  const path = new URL(response.url).pathname;
  return succeeded(response)
    ? { id, status: 'pass', detail: `${path}: ${describeResponse(response)}` }
    : { id, status: 'fail', detail: `${path} answered ${describeResponse(response)}: ${purpose}` };
}

/** The pages audited answer, and so do the liveness and readiness probes. */
export function checkProbes(evidence: Evidence): CheckResult[] {
  const pages = [evidence.page, ...evidence.extraPages].map((page) => {
    const path = new URL(page.url).pathname;
    const id = page === evidence.page ? 'page' : `page ${path}`;
    if (!succeeded(page)) return { id, status: 'fail' as const, detail: `${path} answered ${describeResponse(page)}` };
    const kilobytes = (Buffer.byteLength(page.body) / 1024).toFixed(1);
    return {
      id,
      status: 'pass' as const,
      detail: `${path}: ${page.status} ${mediaType(page) || 'no type'}, ${kilobytes} kB`,
    };
  });
  return [
    ...pages,
    answers('probe.health', evidence.health, 'orchestrators restart a process whose liveness probe fails'),
    answers('probe.ready', evidence.ready, 'load balancers route by readiness'),
  ];
}
