import type { Static, TSchema } from '@sinclair/typebox';

/** What a running job can see and do. */
export interface JobContext {
  readonly id: string;
  readonly name: string;
  /** 1 on the first run, 2 on the first retry… */
  readonly attempt: number;
  /**
   * Aborts when the job is cancelled, passes its `timeoutMs`, loses its claim, or is still running
   * when a shutdown's grace runs out. A handler that does long work should stop on it.
   */
  readonly signal: AbortSignal;
  /** Records how far the job is (a percentage, or any JSON), readable with `jobs.get()` while it runs. */
  progress(value: number | Record<string, unknown>): Promise<void>;
}

export interface RetryPolicy {
  /** Retries after the first failure; 0: a failure is final. */
  readonly limit: number;
  /** `fixed`: `delayMs` between tries. `exponential`: about `delayMs · 2^retry`, jittered. */
  readonly backoff?: 'exponential' | 'fixed';
  /** Whole seconds in the queue (pg-boss), so it is rounded up to one; 0: retry at once. */
  readonly delayMs?: number;
  /** The longest exponential delay. */
  readonly maxDelayMs?: number;
}

/**
 * Which jobs of one name may coexist, per `singletonKey` (jobs without a key share one): pg-boss's
 * queue policies. `standard`: any number. `short`: one queued. `singleton`: one running (others
 * queue behind it). `stately`: one queued and one running. `exclusive`: one queued or running.
 */
export type JobPolicy = 'standard' | 'short' | 'singleton' | 'stately' | 'exclusive';

export interface JobOptions<P extends TSchema, R> {
  /** Checked at `enqueue()`; a payload that does not match is refused there, not in the worker. */
  readonly payload: P;
  // Method syntax: a definition of a specific payload is still a JobDefinition (parameters are bivariant).
  handler(payload: Static<P>, context: JobContext): Promise<R> | R;
  /** Default: 2 retries, exponential from 1 s. */
  readonly retry?: RetryPolicy;
  /** Higher runs first among jobs ready at the same time (default 0; `enqueue` may override). */
  readonly priority?: number;
  /** A run longer than this fails (and is retried); rounded up to whole seconds. Default 15 min. */
  readonly timeoutMs?: number;
  /** Jobs of this name one instance runs at once (default 1). */
  readonly concurrency?: number;
  /**
   * Where a job that has used up its retries goes: `true` (default) a dead-letter queue named
   * `<name>.dead`, listed by `jobs.deadLetters()` and sent back by `jobs.retryDeadLetters()`; a
   * string names another queue; `false` leaves the failed job where it is.
   */
  readonly deadLetter?: boolean | string;
  /**
   * Default `standard`; a scheduled job defaults to `exclusive` (a run never overlaps the previous one).
   * Fixed when the job's queue is first created.
   */
  readonly policy?: JobPolicy;
}

export interface JobDefinition<N extends string = string, P extends TSchema = TSchema, R = unknown> {
  readonly name: N;
  readonly options: JobOptions<P, R>;
}

/** pg-boss's queue-name rule, stated here so the error names the job. */
const NAME = /^[A-Za-z0-9_\-./]{1,100}$/;

/** Describes a kind of background job; pass the definitions to `createJobs()`. */
export function defineJob<N extends string, P extends TSchema, R = unknown>(
  name: N,
  options: JobOptions<P, R>,
): JobDefinition<N, P, R> {
  if (!NAME.test(name)) {
    throw new TypeError(`Job name "${name}" must be 1–100 letters, digits, '_', '-', '.' or '/'`);
  }
  if (options.retry && (!Number.isInteger(options.retry.limit) || options.retry.limit < 0)) {
    throw new TypeError(`Job "${name}": retry.limit must be an integer ≥ 0`);
  }
  if (options.concurrency !== undefined && (!Number.isInteger(options.concurrency) || options.concurrency < 1)) {
    throw new TypeError(`Job "${name}": concurrency must be an integer ≥ 1`);
  }
  if (options.priority !== undefined && !Number.isInteger(options.priority)) {
    throw new TypeError(`Job "${name}": priority must be an integer`);
  }
  return { name, options };
}

export function deadLetterQueue(definition: JobDefinition): string | undefined {
  const { deadLetter = true } = definition.options;
  if (deadLetter === false) return undefined;
  return deadLetter === true ? `${definition.name}.dead` : deadLetter;
}
