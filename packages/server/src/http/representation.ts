import { hash } from 'node:crypto';
import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { boundedMemo } from '../cache/bounded-memo.js';
import { errorBody } from '../errors/error-response.js';

/**
 * The one owner of representation metadata: ETag, Vary, Content-Encoding, the conditional answers
 * (304, 412) and HEAD. Dynamic responses and cached pages both go through the two hooks below;
 * static files keep @fastify/static's stat-based validators, since their bodies are streamed.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on every route registered after {@link representationFinal}: its last onSend step is ours. */
    representationFinal?: boolean;
  }
}

/**
 * A strong validator from the body's bytes: SHA-1 is native, fast, and collision-safe enough here.
 * The one-shot `hash` skips the Hash object createHash builds per call; on a 21 kB page it costs
 * about half as much.
 */
export function strongEtag(body: string | Buffer): string {
  return `"${hash('sha1', body, 'base64url')}"`;
}

const ENCODING_SUFFIX: Readonly<Record<string, string>> = { br: '-br', gzip: '-gz' };

/** The tag a compressed representation carries: distinct bytes need a distinct strong validator. */
function encodedEtag(etag: string, encoding: string): string {
  const suffix = ENCODING_SUFFIX[encoding];
  if (!suffix || etag.startsWith('W/') || etag.endsWith(`${suffix}"`)) return etag;
  return `${etag.slice(0, -1)}${suffix}"`;
}

/** The tags listed in If-None-Match / If-Match, trimmed; `*` alone for the wildcard. */
function listedTags(header: string): string[] {
  return header.split(',').map((tag) => tag.trim());
}

/**
 * If-None-Match with weak comparison (RFC 9110 §13.1.2, §8.8.3.2): `*` matches any current
 * representation; otherwise a listed tag matches when its opaque value equals the selected
 * representation's. Each encoding is its own representation: "X-br" never matches "X".
 */
export function noneMatchHits(header: string | undefined, selected: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const ours = selected.replace(/^W\//, '');
  return listedTags(header).some((tag) => tag.replace(/^W\//, '') === ours);
}

/** If-Match with strong comparison (RFC 9110 §13.1.1): a weak tag never matches. */
function ifMatchFails(header: string | undefined, selected: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return false;
  if (selected.startsWith('W/')) return true;
  return !listedTags(header).includes(selected);
}

/** If-Modified-Since, consulted only when there is no If-None-Match (RFC 9110 §13.1.3). */
function notModifiedSince(header: string | undefined, lastModified: string | undefined): boolean {
  if (!header || !lastModified) return false;
  const since = Date.parse(header);
  const modified = Date.parse(lastModified);
  return Number.isFinite(since) && Number.isFinite(modified) && Math.floor(modified / 1000) <= Math.floor(since / 1000);
}

/** Adds fields to Vary, keeping what is there (CORS's Origin, say): Vary is merged, never overwritten. */
export function addVary(reply: FastifyReply, ...fields: string[]): void {
  const current = reply.getHeader('vary');
  if (current === undefined) {
    reply.header('vary', fields.length === 1 ? fields[0] : fields.join(', '));
    return;
  }
  const existing = varyFields(Array.isArray(current) ? current.join(',') : String(current));
  if (existing.known.has('*') || fields.every((field) => existing.known.has(field.toLowerCase()))) return;
  const added = fields.filter((field) => !existing.known.has(field.toLowerCase()));
  reply.header('vary', [...existing.fields, ...added].join(', '));
}

/**
 * A Vary value's fields, parsed once per distinct value: every page answer adds to Vary two or
 * three times, and the values seen are a handful.
 */
// Values come from our own code and handlers, not from clients; the bound is a safety net.
export const varyFields = boundedMemo(256, (value) => {
  const fields = value
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  return { fields, known: new Set(fields.map((field) => field.toLowerCase())) };
});

const ENCODINGS = ['br', 'gzip', 'identity'];

/** The content coding to send a body in, from Accept-Encoding (q-values honoured). */
export function negotiateEncoding(request: FastifyRequest): 'br' | 'gzip' | 'identity' {
  return (negotiate(request.headers['accept-encoding'] ?? 'identity', ENCODINGS) ?? 'identity') as
    'br' | 'gzip' | 'identity';
}

const COMPRESSIBLE = /^text\/(?!event-stream)|[+/]json|[+/]xml|javascript/;
const isReadMethod = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';

/**
 * Before compression: the strong ETag of the identity body, computed once, and `Vary:
 * accept-encoding` on every compressible body, compressed or not (RFC 9110 §12.5.5).
 */
async function representationPlugin(fastify: FastifyInstance): Promise<void> {
  // Callback-style: onSend runs on every response, and an async hook costs a promise and a
  // microtask each time.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    // Spelled as @fastify/compress spells it, which matches case-sensitively before adding its own.
    if (COMPRESSIBLE.test(String(reply.getHeader('content-type') ?? ''))) addVary(reply, 'accept-encoding');
    if (
      isReadMethod(request) &&
      reply.statusCode === 200 &&
      (typeof payload === 'string' || Buffer.isBuffer(payload)) &&
      !reply.hasHeader('etag')
    )
      reply.header('etag', strongEtag(payload));
    done(null, payload);
  });
}

/**
 * Set on a reply once its final step ran (a WeakSet of replies would cost the garbage collector an
 * entry per response).
 */
const SETTLED = Symbol('representation settled');
type Settling = FastifyReply & { [SETTLED]?: boolean };

/** Drops a body that will not be sent (a compression stream included), then returns the empty one. */
function discard(payload: unknown): string {
  (payload as { destroy?: () => void } | null)?.destroy?.();
  return '';
}

/**
 * After compression, when the representation is known: the tag gets its encoding's suffix, and the
 * conditional headers are evaluated against that representation — the one this request selects.
 */
function finalStep(deferUnlessEncoded: boolean): onSendHookHandler {
  const settle = settleWith(deferUnlessEncoded);
  return (request, reply, payload, done) => done(null, settle(request, reply, payload));
}

function settleWith(deferUnlessEncoded: boolean) {
  return (request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown => {
    if (!isReadMethod(request) || reply.statusCode !== 200 || (reply as Settling)[SETTLED]) return payload;
    const encoding = reply.getHeader('content-encoding');
    // Compression runs in a route-level hook after this instance-level one: wait for the route's own step.
    if (deferUnlessEncoded && typeof encoding !== 'string' && request.routeOptions.config?.representationFinal)
      return payload;
    (reply as Settling)[SETTLED] = true;
    let etag = reply.getHeader('etag');
    if (typeof etag !== 'string') return payload;
    if (typeof encoding === 'string') reply.header('etag', (etag = encodedEtag(etag, encoding)));
    if (ifMatchFails(request.headers['if-match'], etag)) {
      reply.code(412).removeHeader('content-encoding').removeHeader('content-length');
      reply.header('cache-control', 'no-store').type('application/json; charset=utf-8');
      discard(payload);
      const problem = { status: 412, code: 'PRECONDITION_FAILED', message: 'If-Match names no current representation' };
      return JSON.stringify(errorBody(problem, String(request.id)));
    }
    const inm = request.headers['if-none-match'];
    const notModified =
      inm !== undefined
        ? noneMatchHits(inm, etag)
        : notModifiedSince(
            request.headers['if-modified-since'],
            reply.getHeader('last-modified') as string | undefined,
          );
    if (!notModified) return payload;
    reply.code(304).removeHeader('content-length').removeHeader('content-encoding');
    return discard(payload);
  };
}

const HEAD_ON_SEND = 'headRouteOnSendHandler';

async function representationFinalPlugin(fastify: FastifyInstance): Promise<void> {
  // Declared up front so every reply keeps one shape.
  fastify.decorateReply(SETTLED, false);
  // Bodies the handler encoded itself (cached pages) are final here.
  fastify.addHook('onSend', finalStep(true));
  // @fastify/compress compresses in a route-level hook, which runs after every instance-level
  // one, so each route also gets the final step appended after its own hooks.
  const last = finalStep(false);
  fastify.addHook('onRoute', (route) => {
    const onSend = route.onSend ? ([] as unknown[]).concat(route.onSend) : [];
    // Fastify's generated HEAD route empties the body first, so compression never saw it and HEAD
    // lost GET's Content-Encoding and Vary: HEAD answers with GET's headers (RFC 9110 §9.3.2)
    // when emptying the body comes last.
    const head = onSend.findIndex((hook) => (hook as { name?: string }).name === HEAD_ON_SEND);
    const emptyBody = head === -1 ? [] : onSend.splice(head, 1);
    route.onSend = [...onSend, last, ...emptyBody] as typeof route.onSend;
    route.config = { ...route.config, representationFinal: true } as typeof route.config;
  });
}

/** Registered before compression: identity ETag and Vary. */
export const representation = fp(representationPlugin, { name: '@composable-svelte/representation', fastify: '5.x' });
/** Registered after compression: per-encoding ETag, 304 and 412, HEAD with GET's headers. */
export const representationFinal = fp(representationFinalPlugin, {
  name: '@composable-svelte/representation-final',
  fastify: '5.x',
});
