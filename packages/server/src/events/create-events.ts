import { AsyncResource } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { sql } from 'drizzle-orm';
import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Database, Db } from '../db/open-database.js';
import { HttpError } from '../errors/http-error.js';
import { outboxEvents } from './schema.js';

/** The NOTIFY channel a commit that emitted events signals on: the fast path to delivery. */
const CHANNEL = 'composable_outbox';

export class EventPayloadError extends HttpError {
  constructor(
    readonly event: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    const listed = issues
      .slice(0, 5)
      .map((issue) => `${issue.path || '(payload)'} ${issue.message}`)
      .join('; ');
    super(400, 'invalid_event_payload', `Event "${event}" payload is invalid: ${listed}`, { details: issues });
    this.name = 'EventPayloadError';
  }
}

export interface DeliveredEvent<T extends string = string, P = unknown> {
  readonly id: number;
  readonly type: T;
  /** The aggregate key it was emitted with. */
  readonly key: string;
  readonly payload: P;
  /** 1 on the first delivery, 2 on the first retry… */
  readonly attempt: number;
  readonly createdAt: Date;
}

export type EventHandler<T extends string = string, P = unknown> = (
  payload: P,
  event: DeliveredEvent<T, P>,
) => Promise<void> | void;

export interface EventsOptions<M extends Record<string, TSchema>> {
  readonly database: Database<Record<string, unknown>>;
  /** The event map: a TypeBox schema per event type; `emit` is typed by it and validates against it. */
  readonly events: M;
  /** Deliveries of an event before it is dead-lettered (default 5). */
  readonly maxAttempts?: number;
  /** Back-off after a failed delivery: `retryDelayMs · 2^(attempt−1)`, at most 5 minutes (default 1000). */
  readonly retryDelayMs?: number;
  /** How often the outbox is polled besides the commit signal (default 5000). */
  readonly pollIntervalMs?: number;
  /** How long a claimed event is this instance's before another may deliver it (default 60000). */
  readonly leaseMs?: number;
  /** Events claimed per round (default 50). */
  readonly batchSize?: number;
  /** Delivered events are deleted after this long (default 7 days). */
  readonly retentionMs?: number;
  readonly registry?: Registry;
  readonly logger?: { warn(object: object, message: string): void; error(object: object, message: string): void };
}

export interface EmitOptions {
  /** The aggregate (`post:3`): its events are delivered in emit order. Default: the event type. */
  readonly key?: string;
}

export interface DeadEvent {
  readonly id: number;
  readonly type: string;
  readonly key: string;
  readonly payload: unknown;
  readonly attempts: number;
  readonly error: string | null;
  readonly failedAt: Date;
}

/** Anything Drizzle runs statements through: the database, or the transaction of `db.transaction()`. */
type Executor = Pick<Db<Record<string, unknown>>, 'insert' | 'execute'>;

export interface Events<M extends Record<string, TSchema>> {
  /**
   * Writes the event in `tx` (the app's transaction): it is delivered only if that transaction
   * commits, and then at least once. Validates the payload against the event's schema.
   */
  emit<T extends keyof M & string>(tx: Executor, type: T, payload: Static<M[T]>, options?: EmitOptions): Promise<void>;
  /** Adds a handler; `name` identifies it, so a retry runs only the handlers that failed. */
  on<T extends keyof M & string>(type: T, name: string, handler: EventHandler<T, Static<M[T]>>): void;
  /** Delivers what the outbox holds, then on each commit signal and every `pollIntervalMs`. */
  start(): Promise<void>;
  /** Delivers whatever is due now; resolves when the outbox has nothing more due. */
  deliver(): Promise<void>;
  deadLetters(options?: { limit?: number }): Promise<DeadEvent[]>;
  /** Makes dead-lettered events (all, or `ids`) due again; resolves with how many. */
  retryDeadLetters(options?: { ids?: readonly number[] }): Promise<number>;
  health(): Promise<void>;
  /** Shutdown has begun: no new deliveries start; the one under way goes on until `stop()`. */
  drain(): Promise<void>;
  /** Stops polling and listening, and waits (up to `timeoutMs`) for the delivery under way. */
  stop(options?: { timeoutMs?: number }): Promise<void>;
}

interface ClaimedRow {
  id: string | number;
  type: string;
  aggregate: string;
  payload: unknown;
  attempts: number;
  done_handlers: string[];
  created_at: Date | string;
}

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;

/**
 * Domain events with a transactional outbox. Delivery claims due events with `FOR UPDATE SKIP
 * LOCKED` under a lease, so instances share the work and each event is handled by one of them; only
 * the oldest pending event of an aggregate is ever claimable, so an aggregate's events are handled
 * in order. A handler that throws is retried with back-off, then the event is dead-lettered (kept,
 * listed, retryable) and stops holding back its aggregate. A crash at any point leaves the row, and
 * start-up or the next poll delivers it: at least once, never lost.
 */
export function createEvents<const M extends Record<string, TSchema>>(options: EventsOptions<M>): Events<M> {
  const { database } = options;
  const db = database.db;
  const instance = randomUUID();
  const maxAttempts = options.maxAttempts ?? 5;
  const retryDelayMs = options.retryDelayMs ?? 1000;
  const leaseMs = options.leaseMs ?? 60_000;
  const batchSize = options.batchSize ?? 50;
  const retentionMs = options.retentionMs ?? 7 * 86_400_000;
  const handlers = new Map<string, Map<string, EventHandler>>();
  const metrics = options.registry ? eventMetrics(options.registry, db) : undefined;

  let state: 'idle' | 'started' | 'stopped' = 'idle';
  // Read through a function: the loops below await between reads, and stop() changes it meanwhile.
  const stopped = () => state === 'stopped';
  let timer: NodeJS.Timeout | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let retryAt = 0;
  let unlisten: (() => Promise<void>) | undefined;
  let delivering: Promise<void> | undefined;
  let again = false;
  let purgedAt = 0;

  async function claim(): Promise<ClaimedRow[]> {
    const result = await db.execute(sql`
      with next as (
        select e.id from outbox_events e
        where e.delivered_at is null and e.dead_at is null and e.available_at <= now()
          and (e.locked_until is null or e.locked_until < now())
          and not exists (
            select 1 from outbox_events p
            where p.aggregate = e.aggregate and p.id < e.id and p.delivered_at is null and p.dead_at is null)
        order by e.id
        limit ${batchSize}
        for update skip locked)
      update outbox_events o
      set locked_by = ${instance}, locked_until = now() + ${leaseMs} * interval '1 millisecond', attempts = o.attempts + 1
      from next where o.id = next.id
      returning o.id, o.type, o.aggregate, o.payload, o.attempts, o.done_handlers, o.created_at`);
    return rowsOf<ClaimedRow>(result).sort((a, b) => Number(a.id) - Number(b.id));
  }

  async function handle(row: ClaimedRow): Promise<void> {
    const id = Number(row.id);
    const done = new Set(row.done_handlers);
    const event: DeliveredEvent = {
      id,
      type: row.type,
      key: row.aggregate,
      payload: row.payload,
      attempt: row.attempts,
      createdAt: new Date(row.created_at),
    };
    let failure: unknown;
    for (const [name, handler] of handlers.get(row.type) ?? []) {
      if (done.has(name)) continue;
      try {
        await handler(row.payload, event);
        done.add(name);
      } catch (error) {
        failure = error;
        options.logger?.warn({ err: error, event: id, type: row.type, handler: name }, 'event handler failed');
        break;
      }
    }
    const doneList = sql`${`{${[...done].map((name) => JSON.stringify(name)).join(',')}}`}::text[]`;
    const mine = sql`id = ${id} and locked_by = ${instance}`;
    if (failure === undefined) {
      await db.execute(sql`update outbox_events
        set delivered_at = now(), locked_by = null, locked_until = null, done_handlers = ${doneList}
        where ${mine}`);
      metrics?.delivered.inc({ type: row.type, outcome: 'delivered' });
      return;
    }
    const message = failure instanceof Error ? failure.message : String(failure);
    if (row.attempts >= maxAttempts) {
      await db.execute(sql`update outbox_events
        set dead_at = now(), locked_by = null, locked_until = null, done_handlers = ${doneList}, last_error = ${message}
        where ${mine}`);
      metrics?.delivered.inc({ type: row.type, outcome: 'dead' });
      options.logger?.error({ event: id, type: row.type, attempts: row.attempts }, 'event dead-lettered');
      return;
    }
    const delayMs = Math.min(300_000, retryDelayMs * 2 ** (row.attempts - 1));
    await db.execute(sql`update outbox_events
      set available_at = now() + ${delayMs} * interval '1 millisecond', locked_by = null, locked_until = null,
          done_handlers = ${doneList}, last_error = ${message}
      where ${mine}`);
    metrics?.delivered.inc({ type: row.type, outcome: 'retry' });
    wakeIn(delayMs);
  }

  /** A retry is due at a known time: wake then rather than wait for the next poll. */
  function wakeIn(delayMs: number): void {
    const at = Date.now() + delayMs;
    if (retryTimer && retryAt <= at) return;
    clearTimeout(retryTimer);
    retryAt = at;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!stopped()) void wake();
    }, delayMs + 10);
    retryTimer.unref();
  }

  async function deliverDue(): Promise<void> {
    for (;;) {
      if (stopped()) return;
      const rows = await claim();
      // One event per aggregate per round (only heads are claimable), so rows are independent. A
      // claimed row left undelivered by a stop is released when its lease runs out.
      for (const row of rows) if (!stopped()) await handle(row);
      if (rows.length === 0) break;
    }
    if (Date.now() - purgedAt > 60_000) {
      purgedAt = Date.now();
      await db.execute(
        sql`delete from outbox_events where delivered_at < now() - ${retentionMs} * interval '1 millisecond'`,
      );
    }
  }

  /** One delivery loop at a time; a wake-up during it runs the loop once more after. */
  function wake(): Promise<void> {
    if (delivering) {
      again = true;
      return delivering;
    }
    delivering = (async () => {
      try {
        do {
          again = false;
          await deliverDue();
        } while (again && !stopped());
      } catch (error) {
        options.logger?.error({ err: error }, 'event delivery failed; retrying at the next poll');
      } finally {
        delivering = undefined;
      }
    })();
    return delivering;
  }

  async function drain(): Promise<void> {
    if (state === 'stopped') return;
    state = 'stopped';
    clearInterval(timer);
    clearTimeout(retryTimer);
    await unlisten?.();
    unlisten = undefined;
  }

  async function listen(): Promise<(() => Promise<void>) | undefined> {
    const client = (db as unknown as { $client: PGlite | Pool }).$client;
    // Bound to start()'s context: on PGlite a notification arrives in the context of the app's
    // transaction that committed, and the handlers must not run as if inside it.
    const onNotification = AsyncResource.bind(() => void wake());
    if (database.kind === 'embedded') {
      const unsubscribe = await (client as PGlite).listen(CHANNEL, onNotification);
      return () => unsubscribe();
    }
    // A connection of the pool held for LISTEN; if it is lost, polling still delivers.
    const connection = await (client as Pool).connect();
    connection.on('notification', onNotification);
    connection.on('error', (error) => options.logger?.warn({ err: error }, 'outbox listener lost; polling only'));
    await connection.query(`listen ${CHANNEL}`);
    return async () => {
      await connection.query(`unlisten ${CHANNEL}`).catch(() => {});
      connection.release();
    };
  }

  return {
    async emit(tx, type, payload, emitOptions = {}) {
      const schema = options.events[type];
      if (!schema) throw new TypeError(`No event named "${type}" is in the event map`);
      if (!Value.Check(schema, payload)) {
        const issues = [...Value.Errors(schema, payload)].map((error) => ({
          path: error.path,
          message: error.message,
        }));
        throw new EventPayloadError(type, issues);
      }
      await tx.insert(outboxEvents).values({ type, aggregate: emitOptions.key ?? type, payload });
      // NOTIFY is transactional: it reaches the listeners (every instance) only if `tx` commits.
      await tx.execute(sql`select pg_notify(${CHANNEL}, '')`);
    },

    on(type, name, handler) {
      if (!options.events[type]) throw new TypeError(`No event named "${type}" is in the event map`);
      const forType = handlers.get(type) ?? new Map<string, EventHandler>();
      if (forType.has(name)) throw new TypeError(`Event "${type}" already has a handler named "${name}"`);
      forType.set(name, handler as EventHandler);
      handlers.set(type, forType);
    },

    async start() {
      if (state !== 'idle') throw new Error(`events: start() called twice (state: ${state})`);
      state = 'started';
      unlisten = await listen();
      timer = setInterval(() => void wake(), options.pollIntervalMs ?? 5000);
      timer.unref();
      await wake();
    },

    deliver: () => wake(),

    async deadLetters(listOptions = {}) {
      const result = await db.execute(sql`select id, type, aggregate, payload, attempts, last_error, dead_at
        from outbox_events where dead_at is not null order by id limit ${listOptions.limit ?? 100}`);
      return rowsOf<{
        id: string | number;
        type: string;
        aggregate: string;
        payload: unknown;
        attempts: number;
        last_error: string | null;
        dead_at: Date | string;
      }>(result).map((row) => ({
        id: Number(row.id),
        type: row.type,
        key: row.aggregate,
        payload: row.payload,
        attempts: row.attempts,
        error: row.last_error,
        failedAt: new Date(row.dead_at),
      }));
    },

    async retryDeadLetters(retryOptions = {}) {
      const only = retryOptions.ids
        ? sql`and id in (${sql.join(
            retryOptions.ids.map((id) => sql`${id}`),
            sql`, `,
          )})`
        : sql``;
      const result = await db.execute(sql`update outbox_events
        set dead_at = null, attempts = 0, available_at = now() where dead_at is not null ${only} returning id`);
      const count = rowsOf(result).length;
      if (count > 0 && state === 'started') void wake();
      return count;
    },

    async health() {
      if (state !== 'started') throw new Error(`events are ${state}`);
      await db.execute(sql`select 1 from outbox_events limit 1`);
    },

    drain,

    async stop(stopOptions = {}) {
      await drain();
      const running = delivering;
      if (running) {
        await Promise.race([running, new Promise((resolve) => setTimeout(resolve, stopOptions.timeoutMs ?? 10_000))]);
      }
    },
  };
}

function eventMetrics(registry: Registry, db: Db<Record<string, unknown>>) {
  new Gauge({
    name: 'events_pending',
    help: 'Outbox events not yet delivered (nor dead-lettered)',
    registers: [registry],
    async collect() {
      const result = await db.execute(
        sql`select count(*)::int as n from outbox_events where delivered_at is null and dead_at is null`,
      );
      this.set(rowsOf<{ n: number }>(result)[0]?.n ?? 0);
    },
  });
  return {
    delivered: new Counter({
      name: 'events_deliveries_total',
      help: 'Outbox deliveries by event type and outcome (delivered, retry: a handler failed, dead: dead-lettered)',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
  };
}
