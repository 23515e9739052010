import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isPrivateReply } from '../http/cache-control.js';
import { varyFields } from '../http/representation.js';
import type { PageEntry } from './page-entry.js';
import '../auth/fastify-types.js';

/**
 * Replays the answer to a page-cache hit. Once a hit has gone through the whole pipeline, what the
 * stages after the replay point did to it (headers added or changed, the body chosen) is remembered
 * against the request's URL and the values of the request headers its `Vary` names, which is how
 * HTTP itself decides two requests may share a stored response. The next request that matches, while
 * the entry it came from is still the current fresh one, gets that answer straight from the replay
 * point: the stages before it (request id, security headers, rate limit, limits, load shedding,
 * sign-in, locale) still run for it, and so do the log, metrics and in-flight count when it finishes;
 * the rest (pre-handlers, handler, cache lookup, the dozen onSend steps) is skipped.
 *
 * Our own, not a Fastify plugin from the field: nothing there replays a response mid-lifecycle.
 */
export interface HitReplay {
  /** Declares the fields it keeps on replies up front, so that every reply keeps one shape. */
  decorate(fastify: FastifyInstance): void;
  /**
   * At the replay point: answers from a remembered hit and returns true, or notes the reply's
   * headers so far (a hit answered through the pipeline is then remembered) and returns false.
   */
  replay(request: FastifyRequest, reply: FastifyReply): boolean;
  /** The handler served this entry as a fresh hit: remember the answer once it is sent. */
  served(reply: FastifyReply, source: ReplaySource): void;
  /** Once the response went out: remembers it when it was a fresh hit that can be replayed. */
  sent(request: FastifyRequest, reply: FastifyReply): void;
}

export interface ReplaySource {
  readonly key: string;
  readonly entry: PageEntry;
  /** Whether the entry is still what the page cache (or the prerendered set) would serve for the key. */
  readonly current: (key: string, entry: PageEntry) => boolean;
}

interface Remembered {
  /** HTTP major version of the request it answered. */
  readonly protocol: number;
  readonly vary: readonly string[];
  readonly values: readonly (string | string[] | undefined)[];
  readonly key: string;
  /** Weak: a remembered answer must not keep an evicted page in memory past the cache's own bound. */
  readonly entry: WeakRef<PageEntry>;
  readonly current: ReplaySource['current'];
  readonly body: 'body' | 'br' | 'gzip';
  /** Headers the stages after the replay point set or changed. */
  readonly added: Headers;
  /** Headers they removed. */
  readonly removed: readonly string[];
}

const BEFORE = Symbol('headers at the replay point');
const SOURCE = Symbol('hit served');
/** A reply's headers as Fastify lists them. */
type Headers = Partial<ReturnType<FastifyReply['getHeaders']>>;
type Noted = FastifyReply & { [BEFORE]?: Headers | undefined; [SOURCE]?: ReplaySource | undefined };

/**
 * Requests whose answer is not a plain 200 of the stored page, or whose header changes what it
 * must be although no `Vary` names it: conditionals (304/412), ranges, credentials.
 */
const PERSONAL = ['if-none-match', 'if-modified-since', 'if-match', 'if-unmodified-since', 'range', 'authorization'];

function replayable(request: FastifyRequest): boolean {
  if (request.method !== 'GET') return false;
  const { headers } = request;
  for (const name of PERSONAL) if (headers[name] !== undefined) return false;
  return true;
}

const BODY_OF: Readonly<Record<string, Remembered['body']>> = { br: 'br', gzip: 'gzip' };

export interface HitReplayOptions {
  /** Distinct URLs remembered; past it the memory starts over (a crawl cannot grow it). Default 1000. */
  readonly urls?: number;
  /** Representations per URL (encodings × languages…); the oldest goes first. Default 8. */
  readonly variantsPerUrl?: number;
}

export function createHitReplay(options: HitReplayOptions = {}): HitReplay {
  const maxUrls = options.urls ?? 1000;
  const maxVariants = options.variantsPerUrl ?? 8;
  const byUrl = new Map<string, Remembered[]>();

  // An answer is replayed on the protocol it was made on: HTTP/2 and HTTP/1.1 frame headers differently.
  const matches = (request: FastifyRequest, record: Remembered) =>
    record.protocol === request.raw.httpVersionMajor &&
    record.vary.every((name, i) => sameValue(request.headers[name], record.values[i]));

  const forget = (url: string, record: Remembered) => {
    const list = byUrl.get(url);
    const at = list?.indexOf(record) ?? -1;
    if (at === -1) return;
    list!.splice(at, 1);
    if (list!.length === 0) byUrl.delete(url);
  };

  const remember = (url: string, record: Remembered) => {
    let list = byUrl.get(url);
    if (!list) {
      if (byUrl.size >= maxUrls) byUrl.clear();
      byUrl.set(url, (list = []));
    }
    const same = list.findIndex(
      (other) =>
        other.protocol === record.protocol &&
        sameValue(other.vary, record.vary) &&
        sameValue(other.values, record.values),
    );
    if (same !== -1) list.splice(same, 1);
    else if (list.length >= maxVariants) list.shift();
    list.push(record);
  };

  return {
    decorate(fastify) {
      for (const field of [BEFORE, SOURCE])
        if (!fastify.hasReplyDecorator(field)) fastify.decorateReply(field, undefined);
    },
    replay(request, reply) {
      if (!replayable(request) || request.principal) return false;
      const url = request.originalUrl;
      const list = byUrl.get(url);
      if (list) {
        for (const record of list) {
          if (!matches(request, record)) continue;
          const entry = record.entry.deref();
          if (!entry || !record.current(record.key, entry)) {
            forget(url, record);
            break;
          }
          const headers = reply.getHeaders();
          for (const name of record.removed) delete headers[name];
          Object.assign(headers, record.added);
          // Headers first: if Node refused one, nothing is sent and the pipeline answers with an error.
          reply.raw.writeHead(200, headers as OutgoingHttpHeaders);
          reply.hijack();
          reply.raw.end(entry[record.body]);
          return true;
        }
      }
      (reply as Noted)[BEFORE] = reply.getHeaders();
      return false;
    },
    served(reply, source) {
      (reply as Noted)[SOURCE] = source;
    },
    sent(request, reply) {
      const before = (reply as Noted)[BEFORE];
      const source = (reply as Noted)[SOURCE];
      if (!before || !source || reply.statusCode !== 200) return;
      if (isPrivateReply(reply)) return;
      const after = reply.getHeaders();
      const { known } = varyFields(String(after.vary ?? ''));
      if (known.has('*')) return;
      const vary = [...known];
      const encoding = after['content-encoding'];
      const body = encoding === undefined ? 'body' : BODY_OF[String(encoding)];
      // Only an answer that sent the entry's own bytes, as they are, is replayed.
      if (!body || Number(after['content-length']) !== source.entry[body].length) return;
      const added: Headers = {};
      // HTTP/2's pseudo-headers (`:status`) are the protocol's, written by Node for each answer.
      for (const [name, value] of Object.entries(after))
        if (value !== undefined && !name.startsWith(':') && !sameValue(before[name], value)) added[name] = value;
      const removed = Object.keys(before).filter((name) => after[name] === undefined);
      remember(request.originalUrl, {
        protocol: request.raw.httpVersionMajor,
        vary,
        values: vary.map((name) => request.headers[name]),
        key: source.key,
        entry: new WeakRef(source.entry),
        current: source.current,
        body,
        added,
        removed,
      });
    },
  };
}

/** Header values and lists of them, compared by what they hold. */
function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  return a === b;
}
