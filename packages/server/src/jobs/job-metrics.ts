import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface QueueDepth {
  readonly queue: string;
  readonly queued: number;
  readonly active: number;
  readonly deferred: number;
  readonly failed: number;
}

export interface JobMetrics {
  readonly running: Gauge<'queue'>;
  readonly processed: Counter<'queue' | 'outcome'>;
  readonly duration: Histogram<'queue' | 'outcome'>;
  readonly startLatency: Histogram<'queue'>;
}

/**
 * The jobs' instruments. Depth is read when /metrics is scraped, from pg-boss's queue counts
 * (refreshed by its monitor every JOBS_MONITOR_INTERVAL_MS, not a count of the table per scrape).
 */
export function createJobMetrics(registry: Registry, depths: () => Promise<readonly QueueDepth[]>): JobMetrics {
  const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
  new Gauge({
    name: 'jobs_queue_depth',
    help: 'Jobs per queue and state (queued: ready or deferred; active: running anywhere; failed: kept failures)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      for (const depth of await depths()) {
        for (const state of ['queued', 'active', 'deferred', 'failed'] as const) {
          this.set({ queue: depth.queue, state }, depth[state]);
        }
      }
    },
  });
  return {
    running: new Gauge({
      name: 'jobs_running',
      help: 'Jobs this instance is running now, per queue',
      labelNames: ['queue'],
      registers: [registry],
    }),
    processed: new Counter({
      name: 'jobs_processed_total',
      help: 'Job runs this instance finished, per queue and outcome (completed, failed: a failure that may be retried)',
      labelNames: ['queue', 'outcome'],
      registers: [registry],
    }),
    duration: new Histogram({
      name: 'jobs_duration_seconds',
      help: 'How long a job run took, per queue and outcome',
      labelNames: ['queue', 'outcome'],
      buckets: seconds,
      registers: [registry],
    }),
    startLatency: new Histogram({
      name: 'jobs_start_latency_seconds',
      help: 'From the moment a job was due (enqueued, or its delay over) to the start of its first run',
      labelNames: ['queue'],
      buckets: seconds,
      registers: [registry],
    }),
  };
}
