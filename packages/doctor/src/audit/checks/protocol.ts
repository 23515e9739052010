import type { CheckResult, Evidence } from '../evidence.js';
import { answered, describeResponse, header } from '../observed.js';

/** TRACE echoes the request, cookies and auth headers included: cross-site tracing. */
export function checkTrace(evidence: Evidence): CheckResult {
  const id = 'trace-refused';
  const { trace, traceMarker } = evidence;
  if (!answered(trace)) return { id, status: 'pass', detail: `connection refused the TRACE: ${trace.error ?? ''}` };
  if (trace.body.includes(traceMarker))
    return { id, status: 'fail', detail: `TRACE echoed the request (${trace.status})` };
  return trace.status >= 400
    ? { id, status: 'pass', detail: `TRACE answered ${describeResponse(trace)}` }
    : { id, status: 'fail', detail: `TRACE answered ${trace.status}` };
}

/** Every response carries a request id, so a user's report can be matched to the logs. */
export function checkRequestId(evidence: Evidence): CheckResult {
  const id = 'request-id';
  const value = header(evidence.page, 'x-request-id');
  if (value === undefined || value.trim() === '')
    return { id, status: 'fail', detail: 'no x-request-id on the page response' };
  return {
    id,
    status: 'pass',
    detail:
      value === evidence.sentRequestId
        ? `x-request-id echoed: ${value}`
        : `x-request-id: ${value} (the server's own; the one sent is not trusted)`,
  };
}
