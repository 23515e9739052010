import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, forbidden, notFound } from '../../errors/http-error.js';
import type { Principal } from '../principal.js';
import { AuthenticationRequiredError } from './errors.js';
import type { TokenServices } from './services.js';
import { requestScopes } from './scopes.js';

/**
 * The principal the app's resolver put on the request (sessions, bearer tokens). Read, not
 * declared here: the resolver owns the `request.principal` declaration.
 */
function principalOf(request: FastifyRequest): Principal {
  const principal = (request as { principal?: Principal }).principal;
  if (!principal) throw new AuthenticationRequiredError('Sign in to manage API keys');
  // A key able to mint keys would outlive its own revocation through the keys it made.
  if (principal.via === 'api-key') throw forbidden('API keys cannot manage API keys: sign in or use an access token');
  return principal;
}

/**
 * The account page's API key management: `POST /api/auth/keys` (`{ name, scopes }`, answers the
 * key once), `GET /api/auth/keys` (no secrets), `DELETE /api/auth/keys/:id`.
 */
export async function apiKeyRoutes(fastify: FastifyInstance, services: TokenServices): Promise<void> {
  const { apiKeys, audit, allowedScopes } = services;

  fastify.post('/api/auth/keys', async (request, reply) => {
    const principal = principalOf(request);
    const body = (request.body ?? {}) as { name?: unknown; scopes?: unknown };
    if (body === null || typeof body !== 'object' || typeof body.name !== 'string') {
      throw badRequest('name is required: a JSON body like { "name": "deploy script", "scopes": ["read"] }');
    }
    // A token limited to some scopes cannot make a key with more.
    const allowed = allowedScopes(principal.viewer).filter(
      (scope) => principal.scopes === 'all' || principal.scopes.includes(scope),
    );
    const scopes = requestScopes(body.scopes, allowed);
    if (!scopes.ok) throw badRequest(scopes.problem);
    const { key, summary } = await apiKeys.create(principal.viewer.id, body.name, scopes.scopes);
    await audit({
      type: 'api_key.created',
      userId: principal.viewer.id,
      ip: request.ip,
      details: { keyId: summary.id, scopes: summary.scopes },
    });
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({ key, ...summary });
  });

  fastify.get('/api/auth/keys', async (request, reply) => {
    const principal = principalOf(request);
    return reply.header('cache-control', 'private, no-store').send({ keys: await apiKeys.list(principal.viewer.id) });
  });

  fastify.delete<{ Params: { id: string } }>('/api/auth/keys/:id', async (request, reply) => {
    const principal = principalOf(request);
    const revoked = await apiKeys.revoke(principal.viewer.id, request.params.id);
    if (!revoked) throw notFound(`This account has no active API key ${request.params.id}`);
    await audit({
      type: 'api_key.revoked',
      userId: principal.viewer.id,
      ip: request.ip,
      details: { keyId: request.params.id },
    });
    return reply.code(204).send();
  });
}
