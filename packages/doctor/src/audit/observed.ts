/** One HTTP exchange as the doctor saw it. */
export interface ObservedResponse {
  readonly url: string;
  /** 0 when no response came (connection refused, timeout…); `error` then says why. */
  readonly status: number;
  /** Lower-cased names; Set-Cookie keeps one entry per line, other repeated headers arrive joined by ", ". */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  /** Decoded (decompressed) text. */
  readonly body: string;
  readonly error?: string;
}

export function headerLines(response: ObservedResponse, name: string): readonly string[] {
  return response.headers[name.toLowerCase()] ?? [];
}

export function header(response: ObservedResponse, name: string): string | undefined {
  const lines = headerLines(response, name);
  return lines.length === 0 ? undefined : lines.join(', ');
}

/** The media type without parameters, lower-cased ('' when absent). */
export function mediaType(response: ObservedResponse): string {
  return (header(response, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

export const answered = (response: ObservedResponse) => response.status > 0;
export const succeeded = (response: ObservedResponse) => response.status >= 200 && response.status < 300;

/** "404 text/html" or "no response: connect ECONNREFUSED …". */
export function describeResponse(response: ObservedResponse): string {
  if (!answered(response)) return `no response: ${response.error ?? 'unknown error'}`;
  const type = mediaType(response);
  return type === '' ? String(response.status) : `${response.status} ${type}`;
}
