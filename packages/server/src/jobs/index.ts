export { defineJob } from './define-job.js';
export type { JobContext, JobDefinition, JobOptions, JobPolicy, RetryPolicy } from './define-job.js';
export { createJobs } from './create-jobs.js';
export type {
  DeadLetter,
  EnqueueOptions,
  JobInfo,
  Jobs,
  JobsOptions,
  JobState,
  QueueSummary,
  ScheduleSummary,
} from './create-jobs.js';
export { schedule } from './schedule.js';
export type { JobSchedule, ScheduleOptions } from './schedule.js';
export { JobPayloadError } from './job-payload.js';
export { jobsSettings, eventsSettings } from './jobs-settings.js';
