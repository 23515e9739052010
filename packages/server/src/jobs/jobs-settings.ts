import type { ServerConfig } from '../config/load-config.js';

/** The JOBS_* settings as `createJobs()` options: `createJobs({ database, jobs, ...jobsSettings(config) })`. */
export function jobsSettings(config: ServerConfig) {
  return {
    workers: config.jobs.workers,
    schema: config.jobs.schema,
    pollIntervalMs: config.jobs.pollIntervalMs,
    superviseIntervalMs: config.jobs.superviseIntervalMs,
    cronIntervalMs: config.jobs.cronIntervalMs,
  } as const;
}

/** The EVENTS_* settings as `createEvents()` options. */
export function eventsSettings(config: ServerConfig) {
  return {
    pollIntervalMs: config.jobs.eventsPollIntervalMs,
    maxAttempts: config.jobs.eventsMaxAttempts,
    leaseMs: config.jobs.eventsLeaseMs,
  } as const;
}
