import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from '@composable-svelte/server';
import { requestScopes, type ApiKeySummary, type TokenServices } from '@composable-svelte/server/auth';
import { badRequest, forbidden, notFound, wantsJsonError } from '@composable-svelte/server/errors';
import type { ApiKeyList, ApiKeyView, Viewer } from '../shared/account.js';
import en from '../shared/i18n/en-member.js';
import { apiKeyOutcomes } from './api-key-outcome.js';
import { showing, shownMessage } from './form-outcome.js';
import { requestMessages } from './request-messages.js';

const CreateBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 400 })),
  // One checkbox checked is a string, several an array (form encoding); none, absent.
  scopes: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }))])),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
const KeyParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function apiKeyView(summary: ApiKeySummary): ApiKeyView {
  return {
    id: summary.id,
    name: summary.name,
    displayPrefix: summary.displayPrefix,
    scopes: summary.scopes,
    createdAt: summary.createdAt.toISOString(),
    lastUsedAt: summary.lastUsedAt?.toISOString() ?? null,
  };
}

/** The viewer's keys without secrets, and the scopes a new key may have. */
export async function apiKeyList(tokens: TokenServices, viewer: Viewer): Promise<ApiKeyList> {
  return { keys: (await tokens.apiKeys.list(viewer.id)).map(apiKeyView), scopes: tokens.allowedScopes(viewer) };
}

/**
 * The account page's API keys as plain forms: create (the answer is the account page showing the
 * key, the one time it is shown), revoke (303 back). Only a browser session manages keys here: a
 * key able to make keys would outlive its own revocation through the keys it made.
 */
export async function apiKeyRoutes(fastify: FastifyInstance): Promise<void> {
  const auth = fastify.auth;
  if (!auth) throw new Error('apiKeyRoutes needs the auth plugin (createServer({ auth }))');
  const tokens = fastify.authTokens;
  const { apiKeys, allowedScopes, audit } = tokens;

  // The routes require a principal (`auth: 'required'`); this one also requires it be a session.
  const sessionViewer = (request: FastifyRequest) => {
    const principal = request.principal!;
    if (principal.via !== 'session') throw forbidden('API keys are managed from a signed-in browser session.');
    return principal.viewer;
  };

  fastify.get('/api/account/keys', { config: { auth: 'required' } }, async (request, reply) => {
    reply.header('cache-control', 'private, no-store');
    return apiKeyList(tokens, request.principal!.viewer);
  });

  fastify.post<{ Body: Static<typeof CreateBody> }>(
    '/account/keys',
    { schema: { body: CreateBody }, config: { auth: 'required' } },
    async (request, reply) => {
      const { name = '', scopes: asked } = request.body;
      let made;
      try {
        const viewer = sessionViewer(request);
        // None checked means none asked for: refused, rather than RFC 6749's "all of them" default.
        const names = asked === undefined ? [] : [asked].flat();
        if (names.length === 0) throw showing(badRequest(en.chooseAScope), requestMessages(request).chooseAScope);
        const scopes = requestScopes(names, allowedScopes(viewer));
        if (!scopes.ok) throw badRequest(scopes.problem);
        made = await apiKeys.create(viewer.id, name, scopes.scopes);
        await audit({
          type: 'api_key.created',
          userId: viewer.id,
          ip: request.ip,
          details: { keyId: made.summary.id, scopes: made.summary.scopes },
        });
      } catch (error) {
        if (!(error instanceof HttpError) || error.statusCode >= 500 || wantsJsonError(request)) throw error;
        apiKeyOutcomes.set(request, { kind: 'refused', message: shownMessage(error), name });
        return fastify.renderPage(request, reply, error.statusCode);
      }
      apiKeyOutcomes.set(request, { kind: 'created', created: { name: made.summary.name, key: made.key } });
      return fastify.renderPage(request, reply, 201);
    },
  );

  fastify.post<{ Params: Static<typeof KeyParams> }>(
    '/account/keys/:id/revoke',
    { schema: { params: KeyParams }, config: { auth: 'required' } },
    async (request, reply) => {
      const viewer = sessionViewer(request);
      const revoked = await apiKeys.revoke(viewer.id, request.params.id);
      if (!revoked) throw notFound('Your account has no such active API key.');
      await audit({
        type: 'api_key.revoked',
        userId: viewer.id,
        ip: request.ip,
        details: { keyId: request.params.id },
      });
      auth.setFlash(reply, { kind: 'info', text: requestMessages(request).apiKeyRevoked });
      return reply.redirect('/account', 303);
    },
  );
}
