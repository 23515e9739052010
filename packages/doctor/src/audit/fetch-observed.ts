import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ObservedResponse } from './observed.js';

export const USER_AGENT = 'composable-svelte-doctor';
/** Enough for any page worth auditing; a larger body is cut rather than held in memory. */
const MAX_BODY_BYTES = 5 * 1024 * 1024;

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  if (cause?.message) return cause.message;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return error instanceof Error ? error.message : String(error);
}

async function readCapped(stream: ReadableStream<Uint8Array> | null): Promise<string> {
  if (!stream) return '';
  const decoder = new TextDecoder();
  let text = '';
  let bytes = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    text += decoder.decode(value, { stream: true });
    if (bytes >= MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return text + decoder.decode();
}

/**
 * GET (or HEAD) with Node's fetch: redirects are not followed, so each hop is seen; the body is
 * decompressed while Content-Encoding stays visible. A network error is a response with status 0.
 */
export async function fetchObserved(
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<ObservedResponse> {
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { 'user-agent': USER_AGENT, 'accept-encoding': 'br, gzip', ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const observed: Record<string, string[]> = {};
    for (const [name, value] of response.headers) if (name !== 'set-cookie') observed[name] = [value];
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) observed['set-cookie'] = cookies;
    return { url, status: response.status, headers: observed, body: await readCapped(response.body) };
  } catch (error) {
    return { url, status: 0, headers: {}, body: '', error: reason(error) };
  }
}

/** TRACE through node:http, because fetch refuses the method outright (the Fetch standard forbids it). */
export function traceObserved(
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<ObservedResponse> {
  const request = new URL(url).protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const fail = (error: unknown) => resolve({ url, status: 0, headers: {}, body: '', error: reason(error) });
    const req = request(
      url,
      { method: 'TRACE', headers: { 'user-agent': USER_AGENT, ...headers }, timeout: timeoutMs },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          if (bytes <= MAX_BODY_BYTES) chunks.push(chunk);
        });
        res.on('error', fail);
        res.on('end', () => {
          const observed: Record<string, string[]> = {};
          for (const [name, values] of Object.entries(res.headersDistinct)) if (values) observed[name] = values;
          resolve({
            url,
            status: res.statusCode ?? 0,
            headers: observed,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end();
  });
}
