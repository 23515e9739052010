import { createRequire } from 'node:module';
import type { DestinationStream, LoggerOptions } from 'pino';

/** Keys whose values never reach a log line, at any depth. */
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|credential/i;
const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

/**
 * Replaces the value of every secret-looking key. pino's own `redact` needs exact paths; secrets in
 * an error's details or a nested object have none, so the whole log object is walked (log objects
 * are small, and only what is logged pays for it).
 */
export function redactSecrets(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return redactError(value, depth, seen);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? CENSOR : redactSecrets(inner, depth + 1, seen);
  }
  return out;
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
  };
  if (settings.stream) options.stream = settings.stream;
  else if (!settings.production && prettyAvailable()) {
    options.transport = { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' } };
  }
  return options;
}
