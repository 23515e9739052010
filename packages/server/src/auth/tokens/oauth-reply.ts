import type { FastifyReply } from 'fastify';
import type { OAuthError } from './errors.js';

/**
 * RFC 6749 §5.1: responses carrying tokens must not be stored by any cache. Error responses of
 * the same endpoints get the same headers, so no cache keeps a stale answer to a credential.
 */
export function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return noStore(reply).code(error.status).type('application/json; charset=utf-8').send(error.body());
}
