import { connect } from 'node:net';

export interface RawExchange {
  /** 0 when the server closed the connection without an HTTP response. */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Everything the server sent. */
  readonly raw: string;
  readonly ms: number;
  /** Set when no complete answer arrived within the deadline. */
  readonly timedOut: boolean;
}

/**
 * Sends bytes exactly as given (no URL normalisation, no header validation, unlike fetch or
 * inject) on a fresh connection and reads until the server closes it. Requests should end their
 * header block with `connection: close`.
 */
export function rawExchange(port: number, request: Buffer | string, timeoutMs = 2000): Promise<RawExchange> {
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer and close before reading everything (413, 431): EPIPE/ECONNRESET are fine.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const end = raw.indexOf('\r\n\r\n');
      const head = end < 0 ? raw : raw.slice(0, end);
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1];
      resolve({
        status: status ? Number(status) : 0,
        headers,
        body: end < 0 ? '' : raw.slice(end + 4),
        raw,
        ms: performance.now() - started,
        timedOut,
      });
    });
    socket.write(request);
  });
}

export interface RawRequestSpec {
  readonly method: string;
  /** The request target, sent verbatim. */
  readonly target: string;
  /** Extra header lines, without CRLF; `host` and `connection: close` are added. */
  readonly headers?: readonly string[];
  readonly body?: Buffer | string;
  /** Adds a content-length for the body unless false. */
  readonly contentLength?: boolean;
}

export function buildRequest(spec: RawRequestSpec): Buffer {
  const body =
    spec.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
  const lines = [`${spec.method} ${spec.target} HTTP/1.1`, 'host: 127.0.0.1', ...(spec.headers ?? [])];
  if (spec.body !== undefined && spec.contentLength !== false) lines.push(`content-length: ${body.length}`);
  lines.push('connection: close');
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/** Runs `work` over `items` with at most `concurrency` at a time, keeping the order of results. */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}
