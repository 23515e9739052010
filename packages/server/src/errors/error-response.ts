import { negotiate } from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { PublicError } from './describe-error.js';

/** Renders the app's own error page for a status and a message that is safe to show. */
export type ErrorPage = (request: FastifyRequest, status: number, message: string) => Promise<string>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's error page, set by the error-handler plugin; JSON is the answer without one. */
    errorPage?: ErrorPage;
  }
}

export interface ErrorProblem extends Omit<PublicError, 'internal'> {
  /** What the HTML page says, when it should say less than the JSON message (a 404's path). */
  readonly pageMessage?: string;
}

/** The JSON error body, the same for every error response: `{ error: { status, code, message, requestId, details? } }`. */
export function errorBody(problem: ErrorProblem, requestId: string): { error: Record<string, unknown> } {
  const { status, code, message, details } = problem;
  return { error: { status, code, message, requestId, ...(details === undefined ? {} : { details }) } };
}

const API_PATH = /^\/api(?:[/?]|$)/;
const ERROR_TYPES = ['text/html', 'application/json'];

/** API paths get JSON; elsewhere the Accept header decides (q-values honoured), HTML when it says nothing. */
export function wantsJsonError(request: FastifyRequest): boolean {
  if (API_PATH.test(request.url)) return true;
  const accept = request.headers.accept;
  return accept !== undefined && negotiate(accept, ERROR_TYPES) === 'application/json';
}

/**
 * The one way an error response is sent: the app's error page for browsers, the JSON body for API
 * clients, both with the request id and the headers the error asks for.
 */
export async function sendError(
  request: FastifyRequest,
  reply: FastifyReply,
  problem: ErrorProblem,
): Promise<FastifyReply> {
  reply.code(problem.status);
  if (problem.headers) reply.headers(problem.headers);
  const page = request.server.errorPage;
  if (page && !wantsJsonError(request)) {
    const html = await page(request, problem.status, problem.pageMessage ?? problem.message);
    return reply.type('text/html; charset=utf-8').send(html);
  }
  return reply.type('application/json; charset=utf-8').send(errorBody(problem, String(request.id)));
}
