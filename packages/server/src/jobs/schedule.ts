/** A cron schedule for a defined job, passed to `createJobs({ schedules })`. */
export interface JobSchedule {
  readonly cron: string;
  readonly job: string;
  readonly tz: string;
  readonly payload: Record<string, unknown>;
  readonly missed: 'skip' | 'once';
}

export interface ScheduleOptions {
  /** IANA time zone the expression is read in (default UTC): `0 3 * * *` is 03:00 there, DST included. */
  readonly tz?: string;
  /** The payload of every run; checked against the job's schema at start-up. */
  readonly payload?: Record<string, unknown>;
  /**
   * Ticks that came due while no instance was running: `once` (default) runs the job once for the
   * most recent of them when an instance is back, however many were missed; `skip` runs none.
   */
  readonly missed?: 'skip' | 'once';
}

/**
 * Runs `job` on a cron expression on exactly one instance per tick: pg-boss's schedules, whose
 * ticks are inserted under a per-tick singleton slot, so every instance may evaluate the schedule
 * and one job results. The resolution is a minute (a six-field expression picks the second within
 * it; at most one run per minute). A scheduled job's queue is `exclusive` unless its definition
 * says otherwise, so a tick that arrives while the previous run is queued, running or waiting to
 * retry is dropped: a run never overlaps the one before it.
 */
export function schedule(cron: string, job: string, options: ScheduleOptions = {}): JobSchedule {
  return { cron, job, tz: options.tz ?? 'UTC', payload: options.payload ?? {}, missed: options.missed ?? 'once' };
}
