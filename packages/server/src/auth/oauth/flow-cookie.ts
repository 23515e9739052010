import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../../errors/http-error.js';
import type { AuthorizationAttempt } from './provider.js';

/** The flow cookie's name when the site is served over HTTPS (`__Host-`: only this host, Path=/, Secure). */
export const OAUTH_FLOW_COOKIE = '__Host-cs_oauth';
/** Its name on plain HTTP (localhost development), where the prefix cannot be used. */
export const OAUTH_FLOW_COOKIE_PLAIN_HTTP = 'cs_oauth';

/** Ten minutes to sign in at the provider, as most providers allow for their own codes. */
export const OAUTH_FLOW_TTL_S = 600;

export interface FlowState extends AuthorizationAttempt {
  readonly provider: string;
  /** Same-origin path to return to after signing in. */
  readonly next: string;
  /** Seconds since the epoch when the attempt started. */
  readonly startedAt: number;
}

/**
 * Keeps one sign-in attempt's state, PKCE verifier and nonce in the browser that started it, in a
 * cookie signed with SESSION_SECRET (by @fastify/cookie): the callback is accepted only from that
 * browser, with those values, once, within ten minutes. SameSite=Lax because the provider's
 * redirect back is a top-level cross-site navigation, which Lax still sends the cookie with.
 */
export function createFlowCookie(options: { secure: boolean }) {
  const name = options.secure ? OAUTH_FLOW_COOKIE : OAUTH_FLOW_COOKIE_PLAIN_HTTP;
  const attributes = { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure } as const;

  return {
    name,
    set(reply: FastifyReply, flow: FlowState): void {
      const value = Buffer.from(JSON.stringify(flow)).toString('base64url');
      reply.setCookie(name, value, { ...attributes, signed: true, maxAge: OAUTH_FLOW_TTL_S });
    },

    /** Reads and clears the attempt: whatever the callback's outcome, it cannot be used again. */
    take(request: FastifyRequest, reply: FastifyReply, provider: string, state: string | undefined): FlowState {
      const raw = request.cookies[name];
      if (raw !== undefined) reply.clearCookie(name, attributes);
      if (raw === undefined)
        throw refused(
          'OAUTH_FLOW_MISSING',
          'its cookie is missing (it expires after 10 minutes, is used only once, and needs cookies enabled)',
        );
      const unsigned = request.unsignCookie(raw);
      const flow = unsigned.valid && unsigned.value !== null ? parse(unsigned.value) : undefined;
      if (flow === undefined) throw refused('OAUTH_FLOW_INVALID', 'its cookie was altered');
      if (flow.provider !== provider)
        throw refused('OAUTH_FLOW_PROVIDER', `it was started with ${flow.provider}, not ${provider}`);
      if (Date.now() / 1000 - flow.startedAt > OAUTH_FLOW_TTL_S)
        throw refused('OAUTH_FLOW_EXPIRED', 'it took longer than 10 minutes');
      if (state === undefined || !sameString(state, flow.state))
        throw refused(
          'OAUTH_STATE_MISMATCH',
          'the response does not match the sign-in this browser started (state mismatch)',
        );
      return flow;
    },
  };
}

function refused(code: string, why: string): HttpError {
  return new HttpError(400, code, `This sign-in cannot be finished: ${why}. Start the sign-in again.`);
}

function parse(value: string): FlowState | undefined {
  try {
    const flow = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<FlowState>;
    const strings = [flow.provider, flow.state, flow.codeVerifier, flow.nonce, flow.next];
    if (strings.every((field) => typeof field === 'string') && typeof flow.startedAt === 'number')
      return flow as FlowState;
  } catch {
    // A signed value that does not parse is refused like a bad signature.
  }
  return undefined;
}

function sameString(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
