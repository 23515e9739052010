import type { FastifyRequest } from 'fastify';

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
