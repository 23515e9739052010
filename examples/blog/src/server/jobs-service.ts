import type { ServerConfig } from '@composable-svelte/server';
import type { Database } from '@composable-svelte/server/db';
import {
  createJobs,
  jobsSettings,
  type JobDefinition,
  type Jobs,
  type JobSchedule,
} from '@composable-svelte/server/jobs';
import { createServices, defineService, type AnyServices } from '@composable-svelte/server/services';

export interface BlogJobs {
  /** For `createServer({ services })`; undefined when there are no jobs to run. */
  readonly services: AnyServices | undefined;
  /** The started jobs; undefined when there are none, or before the server started them. */
  running(): Jobs | undefined;
}

/**
 * The blog's jobs on its own database, as a service: created once the server has opened and
 * migrated the database, started before the first request, drained and stopped at shutdown.
 */
export function blogJobs(
  { definitions, schedules }: { definitions: readonly JobDefinition[]; schedules: readonly JobSchedule[] },
  database: () => Database<Record<string, unknown>> | undefined,
  config: ServerConfig,
): BlogJobs {
  if (definitions.length === 0) return { services: undefined, running: () => undefined };
  let jobs: Jobs | undefined;
  const services = createServices({
    jobs: defineService<Jobs>({
      async start() {
        const opened = database();
        if (!opened) throw new Error('The blog database is not open yet');
        const created = createJobs({ database: opened, jobs: definitions, schedules, ...jobsSettings(config) });
        await created.start();
        jobs = created;
        return created;
      },
      health: (started) => started.health(),
      drain: (started) => started.drain(),
      stop: (started, options) => started.stop(options),
    }),
  });
  return { services, running: () => jobs };
}
