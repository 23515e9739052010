import type { CheckResult, Evidence } from '../evidence.js';
import { answered, describeResponse, header, headerLines, succeeded, type ObservedResponse } from '../observed.js';

const STACK_TRACE = [
  /^\s*at [^\n]*\(?(?:file:\/\/|node:|\/|[A-Za-z]:\\)[^\s)]*:\d+:\d+\)?\s*$/m,
  /node:internal\//,
  /\/node_modules\//,
  /"stack"\s*:/,
];
/** A framework, runtime or server name next to a version, or a framework's own error code. */
const VERSION_STRING =
  /\b(?:fastify|express|koa|hapi|node(?:\.js)?|svelte(?:kit)?|vite|next\.js|nuxt|nginx|apache|php|undici|openresty)[\s/@:-]*v?\d+\.\d+/i;
const FRAMEWORK_CODE = /\bFST_[A-Z_]{3,}\b/;

function errorResponses(evidence: Evidence): ObservedResponse[] {
  return [evidence.notFound, evidence.notFoundJson, evidence.badRequest, evidence.trace].filter(answered);
}

function checkErrorBodies(evidence: Evidence): CheckResult[] {
  const responses = errorResponses(evidence);
  const where = (r: ObservedResponse) => `${r.status} ${new URL(r.url).pathname}`;
  const stacks = responses.filter((r) => STACK_TRACE.some((pattern) => pattern.test(r.body)));
  const versions = responses.flatMap((r) => {
    const found = VERSION_STRING.exec(r.body)?.[0] ?? FRAMEWORK_CODE.exec(r.body)?.[0];
    return found ? [`${where(r)}: "${found}"`] : [];
  });
  const badRequest = evidence.badRequest;
  const malformed: CheckResult =
    answered(badRequest) && badRequest.status >= 400 && badRequest.status < 500
      ? {
          id: 'errors.malformed-url',
          status: 'pass',
          detail: `a malformed URL answers ${describeResponse(badRequest)}`,
        }
      : {
          id: 'errors.malformed-url',
          status: 'fail',
          detail: `a malformed URL answers ${describeResponse(badRequest)}, not a 4xx`,
        };
  return [
    malformed,
    stacks.length === 0
      ? { id: 'errors.no-stack-trace', status: 'pass', detail: `${responses.length} error responses: no stack trace` }
      : { id: 'errors.no-stack-trace', status: 'fail', detail: `stack trace in ${stacks.map(where).join(', ')}` },
    versions.length === 0
      ? { id: 'errors.no-version-strings', status: 'pass', detail: 'no framework or version string in error responses' }
      : { id: 'errors.no-version-strings', status: 'fail', detail: versions.join('; ') },
  ];
}

function allResponses(evidence: Evidence): ObservedResponse[] {
  return [
    evidence.page,
    ...evidence.extraPages,
    ...errorResponses(evidence),
    evidence.health,
    ...(evidence.api ? [evidence.api] : []),
    ...evidence.assets.map((a) => a.response),
  ].filter(answered);
}

/** Server and X-Powered-By tell attackers which vulnerabilities to try: no version, no framework. */
function checkServerHeaders(evidence: Evidence): CheckResult {
  const id = 'headers.no-version-leak';
  const leaks = new Set<string>();
  for (const response of allResponses(evidence)) {
    const server = header(response, 'server');
    if (server !== undefined && /\d/.test(server)) leaks.add(`Server: ${server}`);
    const poweredBy = header(response, 'x-powered-by');
    if (poweredBy !== undefined) leaks.add(`X-Powered-By: ${poweredBy}`);
  }
  return leaks.size === 0
    ? { id, status: 'pass', detail: 'no Server version and no X-Powered-By' }
    : { id, status: 'fail', detail: [...leaks].join('; ') };
}

/** The original source of the page's scripts is not downloadable next to them. */
function checkSourceMaps(evidence: Evidence): CheckResult {
  const id = 'source-maps';
  const scripts = evidence.assets.filter((a) => a.kind === 'script');
  if (scripts.length === 0) return { id, status: 'skip', detail: 'skipped: the page loads no same-origin script' };
  const exposed = scripts.flatMap(({ response, sourceMap }) => {
    const announced = [...headerLines(response, 'sourcemap'), ...headerLines(response, 'x-sourcemap')];
    const found: string[] = announced.map((value) => `${new URL(response.url).pathname} announces ${value}`);
    if (sourceMap && succeeded(sourceMap) && /"mappings"\s*:/.test(sourceMap.body)) {
      found.push(`${new URL(sourceMap.url).pathname} is public`);
    }
    return found;
  });
  return exposed.length === 0
    ? { id, status: 'pass', detail: `${scripts.length} script(s): no public .map` }
    : { id, status: 'fail', detail: exposed.join('; ') };
}

/** Prometheus metrics name routes, dependencies and load: they belong to a private port or a token. */
function checkMetrics(evidence: Evidence): CheckResult {
  const id = 'metrics.not-public';
  const { metrics } = evidence;
  if (!answered(metrics)) return { id, status: 'pass', detail: `no answer: ${metrics.error ?? ''}` };
  return succeeded(metrics)
    ? {
        id,
        status: 'fail',
        detail: `${new URL(metrics.url).pathname} answers ${describeResponse(metrics)} without credentials`,
      }
    : { id, status: 'pass', detail: `${new URL(metrics.url).pathname}: ${metrics.status}` };
}

export function checkLeaks(evidence: Evidence): CheckResult[] {
  return [
    ...checkErrorBodies(evidence),
    checkServerHeaders(evidence),
    checkSourceMaps(evidence),
    checkMetrics(evidence),
  ];
}
