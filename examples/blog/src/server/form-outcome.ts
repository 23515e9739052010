import type { FastifyRequest } from 'fastify';
import type { HttpError } from '@composable-svelte/server';

/** A sign-in, sign-up or account form the server refused: shown again on the page, with why. */
export interface RefusedForm {
  readonly message: string;
  readonly email?: string;
  readonly name?: string;
}

const refused = new WeakMap<FastifyRequest, RefusedForm>();

/** Set by the form handler before it re-renders the page; read by the app's `load`. */
export const refusedForms = {
  set: (request: FastifyRequest, form: RefusedForm) => refused.set(request, form),
  get: (request: FastifyRequest) => refused.get(request),
};

const shown = new WeakMap<HttpError, string>();

/**
 * The error with the text its form page shows, in the page's language; its JSON answer keeps the
 * error's own (English) message, which API clients may match on.
 */
export function showing<E extends HttpError>(error: E, message: string): E {
  shown.set(error, message);
  return error;
}

/** What a refused form's page says: the localized text given to `showing`, else the error's message. */
export const shownMessage = (error: HttpError): string => shown.get(error) ?? error.message;
