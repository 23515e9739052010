import type { FastifyRequest } from 'fastify';
import type { CreatedApiKey } from '../shared/account.js';

/** What the API key form's POST did, for the page that answers it. */
export type ApiKeyOutcome =
  | { readonly kind: 'created'; readonly created: CreatedApiKey }
  | { readonly kind: 'refused'; readonly message: string; readonly name: string };

// Per request, in memory only: the new key reaches the page that answers its POST and nothing else.
const outcomes = new WeakMap<FastifyRequest, ApiKeyOutcome>();

/** Set by the form handler before it renders the page; read by the app's `load`. */
export const apiKeyOutcomes = {
  set: (request: FastifyRequest, outcome: ApiKeyOutcome) => outcomes.set(request, outcome),
  get: (request: FastifyRequest) => outcomes.get(request),
};
