import type { CheckResult, Evidence } from '../evidence.js';
import { describeResponse, header, succeeded, type ObservedResponse } from '../observed.js';

/** Below this a response fits in one packet either way; servers rightly skip compressing it. */
export const COMPRESSION_MIN_BYTES = 1024;

function checkEncoding(id: string, response: ObservedResponse | undefined, missing: string): CheckResult {
  if (!response) return { id, status: 'skip', detail: missing };
  const path = new URL(response.url).pathname;
  if (!succeeded(response))
    return { id, status: 'skip', detail: `skipped: ${path} answered ${describeResponse(response)}` };
  const encoding = (header(response, 'content-encoding') ?? '').toLowerCase();
  const bytes = Buffer.byteLength(response.body);
  if (encoding === 'br' || encoding === 'gzip') return { id, status: 'pass', detail: `${path}: ${encoding}` };
  if (bytes < COMPRESSION_MIN_BYTES) {
    return { id, status: 'skip', detail: `skipped: ${path} is ${bytes} bytes, too small to need compression` };
  }
  return {
    id,
    status: 'fail',
    detail: `${path} (${bytes} bytes) sent ${encoding === '' ? 'uncompressed' : `as ${encoding}`} although br and gzip were offered`,
  };
}

/** br or gzip for HTML and JavaScript when the client offers them. */
export function checkCompression(evidence: Evidence): CheckResult[] {
  const script = evidence.assets.find((a) => a.kind === 'script');
  return [
    checkEncoding('compression.html', evidence.page, ''),
    checkEncoding('compression.js', script?.response, 'skipped: the page loads no same-origin script'),
  ];
}
