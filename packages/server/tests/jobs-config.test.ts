/**
 * The JOBS_* and EVENTS_* settings reach createJobs() and createEvents(), and a bad value is
 * refused at start-up with the variable named.
 */
import { expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from '../src/config/load-config.js';
import { eventsSettings, jobsSettings } from '../src/jobs/jobs-settings.js';

it('maps the settings to the options of the jobs and the outbox, with defaults', () => {
  expect(jobsSettings(loadServerConfig({}))).toEqual({
    workers: true,
    schema: 'pgboss',
    pollIntervalMs: 1000,
    superviseIntervalMs: 10_000,
    cronIntervalMs: 5000,
  });
  const config = loadServerConfig({
    JOBS_WORKERS: 'false',
    JOBS_SCHEMA: 'queue',
    JOBS_POLL_INTERVAL_MS: '700',
    EVENTS_POLL_INTERVAL_MS: '250',
    EVENTS_MAX_ATTEMPTS: '8',
    EVENTS_LEASE_MS: '30000',
  });
  expect(jobsSettings(config)).toMatchObject({ workers: false, schema: 'queue', pollIntervalMs: 700 });
  expect(eventsSettings(config)).toEqual({ pollIntervalMs: 250, maxAttempts: 8, leaseMs: 30_000 });
});

it('refuses a schema that is not a plain identifier and a poll interval below pg-boss minimum', () => {
  const load = () => loadServerConfig({ JOBS_SCHEMA: 'jobs; drop table x', JOBS_POLL_INTERVAL_MS: '100' });
  expect(load).toThrow(ConfigError);
  expect(load).toThrow(/JOBS_SCHEMA.*lower-case PostgreSQL identifier/);
  expect(load).toThrow(/JOBS_POLL_INTERVAL_MS/);
});
