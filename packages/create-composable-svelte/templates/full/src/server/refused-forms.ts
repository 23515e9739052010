import type { FastifyRequest } from 'fastify';

/** Why a posted form was refused: the page `load` renders again reads it for its message. */
export const refusedForms = new WeakMap<FastifyRequest, string>();
