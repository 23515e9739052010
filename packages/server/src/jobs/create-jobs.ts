import { createHash } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { Static } from '@sinclair/typebox';
import type { Pool } from 'pg';
import type { ConstructorOptions, Db as BossDb, DrizzleTransactionLike, JobWithMetadata, PgBoss, Queue } from 'pg-boss';
import type { Registry } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Database, Db } from '../db/open-database.js';
import { deadLetterQueue, type JobContext, type JobDefinition, type RetryPolicy } from './define-job.js';
import { createJobMetrics, type JobMetrics, type QueueDepth } from './job-metrics.js';
import { checkPayload } from './job-payload.js';
import { insideTransaction, trackTransactions } from './embedded-transactions.js';
import { pgliteBossDatabase } from './pglite-boss-database.js';
import { poolBossDatabase } from './pool-boss-database.js';
import type { JobSchedule } from './schedule.js';

export interface JobsOptions<D extends readonly JobDefinition[]> {
  /** The app's database: the queue lives in it (schema `schema`), so jobs need no other service. */
  readonly database: Database<Record<string, unknown>>;
  readonly jobs: D;
  readonly schedules?: readonly JobSchedule[];
  /** `false`: this instance enqueues but runs nothing (until `startWorkers()`). Default true. */
  readonly workers?: boolean;
  /** PostgreSQL schema of pg-boss's tables. Default `pgboss`. */
  readonly schema?: string;
  /** How often an idle worker asks for work (≥ 500). Default 1000. */
  readonly pollIntervalMs?: number;
  /** How often expired runs (a worker that died) are failed for retry, and counts refreshed (≥ 1000). Default 10000. */
  readonly superviseIntervalMs?: number;
  /** How often schedules are evaluated (1000–45000). Default 5000. */
  readonly cronIntervalMs?: number;
  /** Where the jobs_* metrics go (the server's registry). */
  readonly registry?: Registry;
  readonly logger?: { warn(object: object, message: string): void; error(object: object, message: string): void };
  /** This instance's name in pg-boss's instance registry. */
  readonly instanceName?: string;
}

export interface EnqueueOptions {
  /** Run no earlier than this many milliseconds from now. */
  readonly delayMs?: number;
  /** Deduplicates per the job's `policy` (a `standard` job refuses one). */
  readonly singletonKey?: string;
  /** The same key for the same job creates one job, for as long as that job is kept. */
  readonly idempotencyKey?: string;
  /** Overrides the job's priority: higher runs first. */
  readonly priority?: number;
  /**
   * The app's transaction (`db.transaction(async (tx) => …)`): the job is stored in it, so it exists
   * only if the transaction commits. Required when enqueueing inside a transaction on the embedded
   * database: it is one connection, held by the transaction until it ends.
   */
  readonly tx?: Pick<Db<Record<string, unknown>>, 'execute'>;
}

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export interface JobInfo {
  readonly id: string;
  readonly name: string;
  readonly state: JobState;
  readonly payload: unknown;
  /** The last value the handler passed to `progress()` while it runs (null before and after). */
  readonly progress: unknown;
  /** What the handler returned (completed) or its error (failed). */
  readonly output: unknown;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly startedAt: Date | null;
  readonly completedAt: Date | null;
}

export interface DeadLetter {
  /** The id in the dead-letter queue, which `retryDeadLetters({ ids })` takes. */
  readonly id: string;
  /** The job it was, and its id there. */
  readonly job: string | null;
  readonly originalId: string | null;
  readonly payload: unknown;
  /** The last failure, usually `{ name, message, stack }`. */
  readonly error: unknown;
  readonly attempts: number | null;
  readonly failedAt: Date;
}

export interface QueueSummary extends QueueDepth {
  readonly deadLetters: number;
}

export interface ScheduleSummary {
  readonly job: string;
  readonly cron: string;
  readonly tz: string;
  readonly nextRunAt: Date | null;
}

type Names<D extends readonly JobDefinition[]> = D[number]['name'];
type PayloadOf<D extends readonly JobDefinition[], N> = Static<Extract<D[number], { name: N }>['options']['payload']>;

export interface Jobs<D extends readonly JobDefinition[] = readonly JobDefinition[]> {
  /** Creates pg-boss's schema (under an advisory lock), the queues and schedules, then starts the workers. */
  start(): Promise<void>;
  /** Starts the workers of an instance created with `workers: false`. */
  startWorkers(): Promise<void>;
  /**
   * Validates the payload against the job's schema (a `JobPayloadError`, status 400, says what is
   * wrong) and stores the job. Resolves with its id, or null when a singleton or idempotency key
   * refused a duplicate.
   */
  enqueue<N extends Names<D>>(name: N, payload: PayloadOf<D, N>, options?: EnqueueOptions): Promise<string | null>;
  /** The job's state, progress and output; null when it does not exist (or was deleted after retention). */
  get(name: Names<D>, id: string): Promise<JobInfo | null>;
  /**
   * A queued job never runs; a running one has its `signal` aborted here at once, on another
   * instance at its next `progress()` call, and what it returns then is discarded.
   */
  cancel(name: Names<D>, id: string): Promise<void>;
  /** Jobs of `name` that used up their retries, oldest first. */
  deadLetters(name: Names<D>, options?: { limit?: number }): Promise<DeadLetter[]>;
  /** Sends dead-lettered jobs (all, or `ids`) back to their queue as new jobs; resolves with how many. */
  retryDeadLetters(name: Names<D>, options?: { ids?: readonly string[] }): Promise<number>;
  /** Counts per job (pg-boss's cached counts, at most one supervise interval old). */
  queues(): Promise<QueueSummary[]>;
  schedules(): Promise<ScheduleSummary[]>;
  /** Rejects when the queue cannot be reached or a worker has stopped. */
  health(): Promise<void>;
  /** Shutdown has begun: the workers stop fetching; running jobs go on until `stop()`. */
  drain(): Promise<void>;
  /**
   * Stops fetching at once, lets running jobs finish for up to `timeoutMs`, then fails those still
   * running so they are retried (by another instance, or this one after a restart).
   */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

const DEFAULT_RETRY: RetryPolicy = { limit: 2, backoff: 'exponential', delayMs: 1000 };
const DEAD_LETTER_RETENTION_S = 30 * 86_400;
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * Durable jobs on the app's own database through pg-boss: the embedded PGlite by default,
 * PostgreSQL with DATABASE_URL, where N instances share one queue (`FOR UPDATE SKIP LOCKED`).
 * A run claims its job for `timeoutMs`; an instance that dies mid-run (SIGKILL) leaves the claim
 * to expire, after which the supervisor fails the run and it is retried elsewhere, so no job is
 * lost and none runs twice at the same time while its claim holds.
 */
export function createJobs<const D extends readonly JobDefinition[]>(options: JobsOptions<D>): Jobs<D> {
  const definitions = new Map<string, JobDefinition>();
  for (const definition of options.jobs) {
    if (definitions.has(definition.name)) throw new TypeError(`Job "${definition.name}" is defined twice`);
    definitions.set(definition.name, definition);
  }
  const scheduled = new Set((options.schedules ?? []).map((entry) => entry.job));
  for (const entry of options.schedules ?? []) {
    const definition = definitions.get(entry.job);
    if (!definition) throw new TypeError(`Schedule "${entry.cron}" names job "${entry.job}", which is not defined`);
    if (definition.options.policy === 'standard') {
      throw new TypeError(
        `Job "${entry.job}" is scheduled but its policy is "standard": runs could overlap; use "exclusive" or "singleton"`,
      );
    }
    checkPayload(entry.job, definition.options.payload, entry.payload);
  }
  const policyOf = (definition: JobDefinition) =>
    definition.options.policy ?? (scheduled.has(definition.name) ? 'exclusive' : 'standard');

  const schema = options.schema ?? 'pgboss';
  if (options.database.kind === 'embedded') {
    trackTransactions((options.database.db as unknown as { $client: PGlite }).$client);
  }
  // pg-boss, and pg which it imports even on PGlite, take ~100 ms to load: an app that only defines
  // jobs, or never creates this service (a start without a database), does not pay for them. Every
  // method waits for the load; a failed load rejects each of them.
  let boss!: PgBoss;
  let fromDrizzle!: (typeof import('pg-boss'))['fromDrizzle'];
  const loaded = import('pg-boss').then((module) => {
    boss = new module.PgBoss(bossOptions(options, schema));
    fromDrizzle = module.fromDrizzle;
    boss.on('error', (error) => options.logger?.error({ err: error }, 'jobs: pg-boss error'));
    boss.on('warning', (warning) => options.logger?.warn({ data: warning.data }, `jobs: ${warning.message}`));
  });
  loaded.catch(() => undefined);

  const running = new Map<string, AbortController>();
  /** Each queue's policy as stored (fixed when the queue was first created). */
  const policies = new Map<string, string>();
  const metrics: JobMetrics | undefined = options.registry
    ? createJobMetrics(options.registry, async () => (state === 'started' ? summarise() : []))
    : undefined;
  let state: 'idle' | 'starting' | 'started' | 'stopped' = 'idle';
  let working = false;

  const definitionOf = (name: string): JobDefinition => {
    const definition = definitions.get(name);
    if (!definition) {
      throw new TypeError(
        `No job named "${name}" is defined (defined: ${[...definitions.keys()].join(', ') || 'none'})`,
      );
    }
    return definition;
  };

  const queueOptions = (definition: JobDefinition): Omit<Queue, 'name'> => {
    const retry = definition.options.retry ?? DEFAULT_RETRY;
    const deadLetter = deadLetterQueue(definition);
    return {
      retryLimit: retry.limit,
      retryDelay: retry.delayMs ? seconds(retry.delayMs) : 0,
      retryBackoff: retry.backoff === 'exponential',
      ...(retry.maxDelayMs ? { retryDelayMax: seconds(retry.maxDelayMs) } : {}),
      expireInSeconds: seconds(definition.options.timeoutMs ?? 900_000),
      ...(deadLetter ? { deadLetter } : {}),
      notify: true,
    };
  };

  async function ensureQueue(definition: JobDefinition): Promise<void> {
    const deadLetter = deadLetterQueue(definition);
    // Nothing works a dead-letter queue: its jobs stay queued until retried or past this retention.
    if (deadLetter && !(await boss.getQueue(deadLetter))) {
      await boss.createQueue(deadLetter, { retentionSeconds: DEAD_LETTER_RETENTION_S });
    }
    const existing = await boss.getQueue(definition.name);
    const policy = policyOf(definition);
    if (!existing) {
      await boss.createQueue(definition.name, { policy, ...queueOptions(definition) });
      policies.set(definition.name, policy);
      return;
    }
    const current = existing.policy ?? 'standard';
    // A queue's policy is fixed at creation. An implied one follows the queue (a job that was once
    // scheduled stays exclusive), unless a schedule now needs one that cannot overlap.
    const conflict = definition.options.policy
      ? current !== policy
      : scheduled.has(definition.name) && current === 'standard';
    if (conflict) {
      throw new Error(
        `Job "${definition.name}": its queue was created with policy "${current}", the definition needs "${policy}"; a policy cannot change (delete the queue, or rename the job)`,
      );
    }
    policies.set(definition.name, current);
    await boss.updateQueue(definition.name, queueOptions(definition));
  }

  /** Several schedules may run one job: each is keyed by its expression and zone. */
  const scheduleKey = (entry: JobSchedule) =>
    `s${createHash('sha256').update(`${entry.cron}\0${entry.tz}`).digest('hex').slice(0, 16)}`;

  async function syncSchedules(): Promise<void> {
    const wanted = new Set<string>();
    for (const entry of options.schedules ?? []) {
      const key = scheduleKey(entry);
      wanted.add(`${entry.job}\0${key}`);
      await boss.schedule(entry.job, entry.cron, entry.payload, { tz: entry.tz, key, missed: entry.missed });
    }
    // A schedule removed from the code is removed from the database, or it would keep firing.
    for (const existing of await boss.getSchedules()) {
      if (definitions.has(existing.name) && !wanted.has(`${existing.name}\0${existing.key}`)) {
        await boss.unschedule(existing.name, existing.key);
      }
    }
  }

  /**
   * A worker fetched a job, so the queue may hold more: every worker of the queue fetches again as
   * soon as it is free (pg-boss otherwise waits a whole poll interval after each job, which caps a
   * worker at one job per interval). A worker whose fetch comes back empty waits again.
   */
  function wakeSiblings(name: string): void {
    for (const worker of boss.getWipData()) if (worker.name === name) boss.notifyWorker(worker.id);
  }

  async function run(definition: JobDefinition, job: JobWithMetadata<Record<string, unknown>>): Promise<unknown> {
    const { name } = definition;
    wakeSiblings(name);
    const cancelled = new AbortController();
    running.set(job.id, cancelled);
    const signal = AbortSignal.any([job.signal, cancelled.signal]);
    if (job.retryCount === 0) {
      const due = Math.max(job.createdOn.getTime(), job.startAfter.getTime());
      metrics?.startLatency.observe({ queue: name }, Math.max(0, Date.now() - due) / 1000);
    }
    metrics?.running.inc({ queue: name });
    const started = performance.now();
    let outcome = 'failed';
    try {
      const context: JobContext = {
        id: job.id,
        name,
        attempt: job.retryCount + 1,
        signal,
        progress: (value) => reportProgress(name, job, value, cancelled),
      };
      const result = await definition.options.handler(job.data, context);
      outcome = 'completed';
      return result;
    } finally {
      running.delete(job.id);
      metrics?.running.dec({ queue: name });
      metrics?.processed.inc({ queue: name, outcome });
      metrics?.duration.observe({ queue: name, outcome }, (performance.now() - started) / 1000);
    }
  }

  /**
   * Progress is kept in the job's `output` while it runs (pg-boss replaces it with the result or
   * the error when the run ends). The update only matches the job still active in this attempt, so
   * a run that finds nothing to update was cancelled or lost its claim (expired, and retried
   * elsewhere): its signal is aborted.
   */
  async function reportProgress(
    name: string,
    job: { id: string; retryCount: number },
    value: unknown,
    cancelled: AbortController,
  ): Promise<void> {
    const { rows } = await boss.getDb().executeSql(
      `update ${schema}.job set output = jsonb_build_object('progress', $3::jsonb)
         where name = $1 and id = $2 and state = 'active' and retry_count = $4 returning id`,
      [name, job.id, JSON.stringify(value), job.retryCount],
    );
    if (rows.length === 0 && !cancelled.signal.aborted) {
      cancelled.abort(new Error(`job ${job.id} is no longer running here (cancelled, or its claim expired)`));
    }
  }

  async function startWorkers(): Promise<void> {
    await loaded;
    if (working) return;
    working = true;
    const pollingIntervalSeconds = Math.max(0.5, (options.pollIntervalMs ?? 1000) / 1000);
    for (const definition of definitions.values()) {
      const workOptions = {
        includeMetadata: true,
        batchSize: 1,
        localConcurrency: definition.options.concurrency ?? 1,
        pollingIntervalSeconds,
        notifyPollingIntervalSeconds: pollingIntervalSeconds,
      } as const;
      await boss.work<Record<string, unknown>, unknown, typeof workOptions>(
        definition.name,
        workOptions,
        async ([job]) => run(definition, job!),
      );
    }
  }

  async function summarise(): Promise<QueueSummary[]> {
    const names = [...definitions.values()].flatMap((definition) => [
      definition.name,
      deadLetterQueue(definition) ?? [],
    ]);
    const queues = new Map((await boss.getQueues(names.flat())).map((queue) => [queue.name, queue]));
    return [...definitions.values()].map((definition) => {
      const queue = queues.get(definition.name);
      const deadLetter = deadLetterQueue(definition);
      return {
        queue: definition.name,
        queued: queue?.queuedCount ?? 0,
        active: queue?.activeCount ?? 0,
        deferred: queue?.deferredCount ?? 0,
        failed: queue?.failedCount ?? 0,
        deadLetters: deadLetter ? (queues.get(deadLetter)?.queuedCount ?? 0) : 0,
      };
    });
  }

  return {
    async start() {
      if (state !== 'idle') throw new Error(`jobs: start() called twice (state: ${state})`);
      state = 'starting';
      await loaded;
      // Two instances installing the schema on a new database at the same moment can collide in
      // PostgreSQL's catalog (a duplicate key on the schema's name, which pg-boss does not treat as
      // "already exists"); the next attempt finds the schema installed.
      await boss.start({ attempts: 3 });
      for (const definition of definitions.values()) await ensureQueue(definition);
      await syncSchedules();
      state = 'started';
      if (options.workers !== false) await startWorkers();
    },

    startWorkers,

    async enqueue(name, payload, enqueueOptions = {}) {
      const definition = definitionOf(name);
      const data = checkPayload(name, definition.options.payload, payload);
      if (enqueueOptions.singletonKey !== undefined && (policies.get(name) ?? policyOf(definition)) === 'standard') {
        throw new TypeError(
          `Job "${name}": singletonKey needs a policy that deduplicates (short, singleton, stately or exclusive); its policy is "standard"`,
        );
      }
      if (options.database.kind === 'embedded' && !enqueueOptions.tx && insideTransaction()) {
        throw new Error(
          `Job "${name}" enqueued inside a transaction on the embedded database without { tx }: the transaction holds its one connection, so the call would wait forever. Pass the transaction: enqueue(name, payload, { tx })`,
        );
      }
      const priority = enqueueOptions.priority ?? definition.options.priority;
      await loaded;
      return boss.send(name, data, {
        ...(priority !== undefined ? { priority } : {}),
        ...(enqueueOptions.delayMs ? { startAfter: new Date(Date.now() + enqueueOptions.delayMs) } : {}),
        ...(enqueueOptions.singletonKey !== undefined ? { singletonKey: enqueueOptions.singletonKey } : {}),
        ...(enqueueOptions.idempotencyKey !== undefined ? { id: keyedId(name, enqueueOptions.idempotencyKey) } : {}),
        ...(enqueueOptions.tx ? { db: fromDrizzle(enqueueOptions.tx as unknown as DrizzleTransactionLike, sql) } : {}),
      });
    },

    async get(name, id) {
      definitionOf(name);
      await loaded;
      const [job] = await boss.findJobs<unknown>(name, { id });
      if (!job) return null;
      const output = (job.output ?? null) as Record<string, unknown> | null;
      const active = job.state === 'active';
      return {
        id: job.id,
        name: job.name,
        state: job.state,
        payload: job.data,
        progress: active && output && 'progress' in output ? output.progress : null,
        output: active ? null : output,
        attempts: job.retryCount + (job.state === 'created' ? 0 : 1),
        createdAt: job.createdOn,
        startedAt: job.startedOn ?? null,
        completedAt: job.completedOn ?? null,
      };
    },

    async cancel(name, id) {
      definitionOf(name);
      await loaded;
      await boss.cancel(name, id);
      running.get(id)?.abort(new Error(`job ${id} was cancelled`));
    },

    async deadLetters(name, listOptions = {}) {
      const deadLetter = deadLetterQueue(definitionOf(name));
      if (!deadLetter) return [];
      await loaded;
      const found = await boss.findJobs<unknown>(deadLetter, { queued: true, limit: listOptions.limit ?? 100 });
      return found.map((job) => ({
        id: job.id,
        job: job.sourceName,
        originalId: job.sourceId,
        payload: job.data,
        error: job.sourceOutput,
        attempts: job.sourceRetryCount === null ? null : job.sourceRetryCount + 1,
        failedAt: job.createdOn,
      }));
    },

    async retryDeadLetters(name, retryOptions = {}) {
      const deadLetter = deadLetterQueue(definitionOf(name));
      if (!deadLetter) return 0;
      await loaded;
      return boss.redrive(deadLetter, {
        destination: name,
        ...(retryOptions.ids ? { ids: [...retryOptions.ids] } : {}),
      });
    },

    async queues() {
      await loaded;
      return summarise();
    },

    async schedules() {
      await loaded;
      const stored = await boss.getSchedules();
      return stored
        .filter((entry) => definitions.has(entry.name))
        .map((entry) => ({
          job: entry.name,
          cron: entry.cron,
          tz: entry.timezone,
          nextRunAt: boss.previewSchedule(entry.cron, { tz: entry.timezone, count: 1 })[0] ?? null,
        }));
    },

    async health() {
      if (state !== 'started') throw new Error(`jobs are ${state}`);
      await boss.getDb().executeSql('select 1');
      if (!working) return;
      const stopped = boss.getWipData().filter((worker) => worker.state === 'stopped' || worker.state === 'stopping');
      if (stopped.length > 0) {
        throw new Error(`job workers stopped: ${stopped.map((worker) => worker.name).join(', ')}`);
      }
    },

    async drain() {
      if (state !== 'started' || !working) return;
      await Promise.all([...definitions.keys()].map((name) => boss.offWork(name, { wait: false })));
    },

    async stop(stopOptions = {}) {
      if (state === 'idle' || state === 'stopped') {
        state = 'stopped';
        return;
      }
      state = 'stopped';
      await loaded;
      await boss.stop({ graceful: true, close: true, timeout: stopOptions.timeoutMs ?? 10_000 });
    },
  };
}

/** pg-boss's job id from an idempotency key: the same key for the same job is the same UUID. */
function keyedId(name: string, key: string): string {
  const hex = createHash('sha256').update(`${name}\0${key}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function bossOptions(options: JobsOptions<readonly JobDefinition[]>, schema: string): ConstructorOptions {
  const client = (options.database.db as unknown as { $client: PGlite | Pool }).$client;
  const db: BossDb =
    options.database.kind === 'embedded' ? pgliteBossDatabase(client as PGlite) : poolBossDatabase(client as Pool);
  const supervise = seconds(options.superviseIntervalMs ?? 10_000);
  return {
    db,
    schema,
    backend: options.database.kind === 'embedded' ? 'pglite' : 'postgres',
    superviseIntervalSeconds: supervise,
    monitorIntervalSeconds: supervise,
    queueCacheIntervalSeconds: supervise,
    cronWorkerIntervalSeconds: Math.min(45, seconds(options.cronIntervalMs ?? 5000)),
    cronMonitorIntervalSeconds: Math.min(45, seconds(options.cronIntervalMs ?? 5000)),
    // Index rebuilds take CONCURRENTLY locks an operator should schedule, not the app.
    reindex: false,
    // A new job wakes a worker through NOTIFY (queues are created with `notify`); polling stays the floor.
    useListenNotify: true,
    ...(options.instanceName ? { instanceName: options.instanceName } : {}),
  };
}
