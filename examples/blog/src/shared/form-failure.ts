import type { QueryError } from '@composable-svelte/core';
import { ApiError } from './api.js';

const GENERIC = 'Something went wrong. Please try again.';

/**
 * What a form shows for a failed submission: per-field messages from a 400, otherwise one message.
 * Only an ApiError carries words meant for readers; a failure without one gets a generic message.
 */
export function formFailure(error: QueryError): { message: string | null; errors: Record<string, string> } {
  const api = error.cause instanceof ApiError ? error.cause : undefined;
  if (api && Object.keys(api.fieldErrors).length > 0) return { message: null, errors: { ...api.fieldErrors } };
  return { message: api ? api.message : GENERIC, errors: {} };
}
