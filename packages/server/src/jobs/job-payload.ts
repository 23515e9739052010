import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { HttpError } from '../errors/http-error.js';

/** A payload that does not match its job's schema: refused at `enqueue()`, before anything is stored. */
export class JobPayloadError extends HttpError {
  constructor(
    readonly job: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    const listed = issues
      .slice(0, 5)
      .map((issue) => `${issue.path || '(payload)'} ${issue.message}`)
      .join('; ');
    super(400, 'invalid_job_payload', `Job "${job}" payload is invalid: ${listed}`, { details: issues });
    this.name = 'JobPayloadError';
  }
}

/** Checks a payload against its schema; pg-boss stores a JSON object, so the payload must be one. */
export function checkPayload(job: string, schema: TSchema, payload: unknown): Record<string, unknown> {
  if (!Value.Check(schema, payload)) {
    const issues = [...Value.Errors(schema, payload)].map((error) => ({ path: error.path, message: error.message }));
    throw new JobPayloadError(job, issues);
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new JobPayloadError(job, [
      { path: '', message: 'must be an object (a job stores its payload as a JSON object)' },
    ]);
  }
  return payload as Record<string, unknown>;
}
