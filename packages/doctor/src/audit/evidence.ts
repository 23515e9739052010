import type { ObservedResponse } from './observed.js';

export interface AssetEvidence {
  readonly kind: 'script' | 'stylesheet';
  readonly response: ObservedResponse;
  /** The same asset asked for again with its validator; absent when it had none. */
  readonly revalidated?: ObservedResponse;
  /** `<asset>.map`, for scripts. */
  readonly sourceMap?: ObservedResponse;
}

export interface HttpRedirectEvidence {
  /** The plain-HTTP URL requested. */
  readonly from: string;
  /** Whether the user named it (--http-port, --http-url) or the doctor tried port 80 on its own. */
  readonly explicit: boolean;
  readonly response: ObservedResponse;
}

/** Everything the checks judge, gathered from the live site first; checks never do I/O. */
export interface Evidence {
  readonly target: URL;
  /** The target page, asked for as a browser would (Accept-Encoding br/gzip) with the Observatory's Origin. */
  readonly page: ObservedResponse;
  /** The page asked for again with its ETag / Last-Modified; absent when it had neither. */
  readonly pageRevalidated?: ObservedResponse;
  /** The x-request-id the doctor sent with the page request. */
  readonly sentRequestId: string;
  /** Further pages named with --path. */
  readonly extraPages: readonly ObservedResponse[];
  /** A path that cannot exist, asked for as HTML and as JSON. */
  readonly notFound: ObservedResponse;
  readonly notFoundJson: ObservedResponse;
  /** A malformed URL (a lone %), which a server must refuse with a 400 and no internals. */
  readonly badRequest: ObservedResponse;
  readonly api?: ObservedResponse;
  readonly assets: readonly AssetEvidence[];
  readonly health: ObservedResponse;
  readonly ready: ObservedResponse;
  readonly metrics: ObservedResponse;
  /** A TRACE request carrying `traceMarker` in a header. */
  readonly trace: ObservedResponse;
  readonly traceMarker: string;
  readonly httpRedirect?: HttpRedirectEvidence;
}

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckResult {
  /** Stable identifier, e.g. `csp.script-src`. */
  readonly id: string;
  readonly status: CheckStatus;
  /** What was seen, and for a failure what is missing. */
  readonly detail: string;
}

export interface CheckOptions {
  /** Fail HTTPS checks on plain HTTP even on a loopback address. */
  readonly requireHttps?: boolean;
  /** The lowest Observatory letter that passes; A+ by default. */
  readonly minGrade?: string;
}
