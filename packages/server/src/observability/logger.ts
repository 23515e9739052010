import { createRequire } from 'node:module';
import type { DestinationStream, LoggerOptions } from 'pino';

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential/i;
const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

/**
 * Query parameters whose values never reach a log line: credentials and one-time secrets people
 * put in links (reset tokens, OAuth codes, signed-URL signatures, CSRF tokens, session ids).
 * Matched on the decoded name without a `[]` suffix; exact names where a substring would catch
 * innocent ones (`key` vs `monkey`, `auth` vs `author`).
 */
const SECRET_QUERY_NAME =
  /^(?:code|key|sig|auth|sid|otp|pin|pwd|jwt|ticket|state|nonce|hash|hmac)$|token|pass(?:wd|word)?|secret|csrf|api[-_]?key|access[-_]?key|signature|session|credential|authorization|private/i;
/** A string that is a request target with a query (`/path?…`), or an absolute URL with a query or credentials. */
const URL_WITH_SECRETS = /^(?:\/[^\s?#]*\?|[a-z][\w+.-]*:\/\/[^\s/?#]*@|[a-z][\w+.-]*:\/\/[^\s?#]*\?)/i;
/** The password of `scheme://user:password@host`. */
const URL_PASSWORD = /^([a-z][\w+.-]*:\/\/[^\s/?#:@]*:)[^\s/?#]*@/i;

function secretQueryName(rawName: string): boolean {
  let name = rawName.replace(/\+/g, ' ');
  try {
    name = decodeURIComponent(name);
  } catch {
    // A malformed escape: match the name as it was sent.
  }
  return SECRET_QUERY_NAME.test(name.replace(/\[[^\]]*\]$/, '').trim());
}

/**
 * The URL with its password (`scheme://user:password@host`) and the value of every secret-looking
 * query parameter replaced by `[redacted]`; the path, the other parameters (as sent, not
 * re-encoded) and the fragment are kept.
 */
export function redactUrl(input: string): string {
  const url = input.replace(URL_PASSWORD, `$1${CENSOR}@`);
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const hashStart = url.indexOf('#', queryStart);
  const query = url.slice(queryStart + 1, hashStart === -1 ? undefined : hashStart);
  const redacted = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const name = equals === -1 ? pair : pair.slice(0, equals);
      return equals !== -1 && secretQueryName(name) ? `${name}=${CENSOR}` : pair;
    })
    .join('&');
  return `${url.slice(0, queryStart + 1)}${redacted}${hashStart === -1 ? '' : url.slice(hashStart)}`;
}

/**
 * Replaces the value of every secret-looking key, and of every secret-looking query parameter in a
 * URL string or a `query` object. pino's own `redact` needs exact paths; secrets in an error's
 * details or a nested object have none, so the whole log object is walked (log objects are small,
 * and only what is logged pays for it).
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>(), parentKey?: string): unknown {
  if (typeof value === 'string') {
    // A raw query string logged on its own (`query: 'a=1&token=…'`).
    if (parentKey === 'query' || parentKey === 'search') return redactUrl(`?${value.replace(/^\?/, '')}`).slice(1);
    return URL_WITH_SECRETS.test(value) ? redactUrl(value) : value;
  }
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  // A parsed query string (request.query): its parameter names say which values are secret.
  if (parentKey === 'query' && !Array.isArray(value))
    return redactQueryObject(value as Record<string, unknown>, depth, seen);
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? CENSOR : redactSecrets(inner, depth + 1, seen, key);
  }
  return out;
}

function redactQueryObject(
  query: Record<string, unknown>,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(query).map(([name, value]) => [
      name,
      secretQueryName(name) ? CENSOR : redactSecrets(value, depth + 1, seen),
    ]),
  );
}

/**
 * A copy of an error with the same prototype (so serializers still see its type, message and
 * stack) whose own properties are redacted like any object: errors often carry request details.
 */
function redactError(error: Error, depth: number, seen: WeakSet<object>): Error {
  const copy = Object.create(Object.getPrototypeOf(error)) as Error;
  for (const name of Object.getOwnPropertyNames(error)) {
    const descriptor = Object.getOwnPropertyDescriptor(error, name)!;
    // Since V8 13 (Node 24) `stack` is an own accessor: copy what it reads as a plain value.
    if (name === 'stack') {
      Object.defineProperty(copy, name, { value: error.stack, writable: true, configurable: true, enumerable: false });
      continue;
    }
    if (!('value' in descriptor)) continue;
    const value =
      name === 'message'
        ? descriptor.value
        : SECRET_KEY.test(name)
          ? CENSOR
          : redactSecrets(descriptor.value, depth + 1, seen);
    Object.defineProperty(copy, name, { ...descriptor, value });
  }
  return copy;
}

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly host?: string;
  readonly ip?: string;
  readonly headers?: Record<string, unknown>;
  readonly raw?: { method?: string; url?: string; headers?: Record<string, unknown> };
}

/** Fastify's request serializer, with the URL's secret query values redacted. */
function serializeRequest(request: LoggedRequest): Record<string, unknown> {
  const url = request.url ?? request.raw?.url;
  return {
    method: request.method ?? request.raw?.method,
    url: typeof url === 'string' ? redactUrl(url) : undefined,
    version: (request.headers ?? request.raw?.headers)?.['accept-version'],
    host: request.host ?? (request.headers ?? request.raw?.headers)?.host,
    remoteAddress: request.ip,
  };
}

function prettyAvailable(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

export interface LoggerSettings {
  readonly level: string;
  readonly production: boolean;
  /** Where log lines go (tests read them); stdout by default. */
  readonly stream?: DestinationStream;
}

/** JSON lines in production; pino-pretty in development when it is installed (a dev dependency). */
export function loggerOptions(settings: LoggerSettings): LoggerOptions & { stream?: DestinationStream } {
  const options: LoggerOptions & { stream?: DestinationStream } = {
    level: settings.level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        'headers.authorization',
        'headers.cookie',
      ],
      censor: CENSOR,
    },
    formatters: { log: (object) => redactSecrets(object) as Record<string, unknown> },
    // Serializers run after the formatter, which has already copied a logged request into a plain
    // object without its getters (url, ip, host): read what is left, from the raw request if need be.
    serializers: { req: serializeRequest },
  };
  if (settings.stream) options.stream = settings.stream;
  else if (!settings.production && prettyAvailable()) {
    options.transport = { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } };
  }
  return options;
}
