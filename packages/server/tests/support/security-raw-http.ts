import { connect } from 'node:net';

export interface RawResponse {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Everything the server sent, for assertions that must hold on the bytes themselves. */
  readonly raw: string;
}

/**
 * Sends one request exactly as written (no URL normalisation, unlike inject or fetch) and reads
 * the answer until the server closes the connection. The request should say `connection: close`.
 */
export function rawRequest(port: number, request: string, timeoutMs = 5000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    // The server may answer and close before it has read the whole request (431): ignore EPIPE/ECONNRESET.
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const end = raw.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no HTTP response: ${JSON.stringify(raw.slice(0, 200))}`));
      const [statusLine = '', ...lines] = raw.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: raw.slice(end + 4), raw });
    });
    socket.write(request, 'latin1');
  });
}

/** A GET for a request target sent byte for byte. */
export function rawGet(port: number, target: string, extraHeaders = ''): Promise<RawResponse> {
  return rawRequest(port, `GET ${target} HTTP/1.1\r\nhost: 127.0.0.1\r\n${extraHeaders}connection: close\r\n\r\n`);
}
