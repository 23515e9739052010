import type { Jobs } from '@composable-svelte/server/jobs';
import type { AdminComment, AdminDeadLetter, AdminJobs, AdminUser } from '../../shared/admin.js';
import type { AccountDirectory } from '../db/account-directory.js';
import type { CommentModeration } from '../db/comment-moderation.js';

/** What the admin pages list: the newest comments, the accounts, the jobs. */
export interface AdminData {
  comments(): Promise<AdminComment[]>;
  users(): Promise<AdminUser[]>;
  jobs(): Promise<AdminJobs>;
}

export const RECENT_COMMENTS = 100;
export const LISTED_USERS = 500;
const DEAD_LETTERS_PER_QUEUE = 50;

/** A job's last error as one line: its message, never its stack. */
function errorText(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error && typeof error.message === 'string') {
    return error.message;
  }
  if (typeof error === 'string') return error;
  return error === null || error === undefined ? 'no error recorded' : JSON.stringify(error);
}

/** `jobs` answers undefined while the blog runs no jobs (or before they started). */
export function createAdminData(
  moderation: CommentModeration,
  accounts: AccountDirectory,
  jobs: () => Jobs | undefined,
): AdminData {
  return {
    comments: () => moderation.recent(RECENT_COMMENTS),
    users: () => accounts.users(LISTED_USERS),
    async jobs() {
      const running = jobs();
      if (!running) return { enabled: false, queues: [], deadLetters: [], schedules: [] };
      const [queues, schedules] = await Promise.all([running.queues(), running.schedules()]);
      // Listed from the queues themselves: the counts above may be one supervise interval old.
      const deadLetters = await Promise.all(
        queues.map(async ({ queue }): Promise<AdminDeadLetter[]> => {
          const found = await running.deadLetters(queue, { limit: DEAD_LETTERS_PER_QUEUE });
          return found.map((letter) => ({
            id: letter.id,
            queue,
            error: errorText(letter.error),
            attempts: letter.attempts,
            failedAt: letter.failedAt.toISOString(),
          }));
        }),
      );
      return {
        enabled: true,
        queues: queues.map(({ queue, queued, active, deferred, failed, deadLetters: dead }) => ({
          queue,
          queued,
          active,
          deferred,
          failed,
          deadLetters: dead,
        })),
        deadLetters: deadLetters.flat(),
        schedules: schedules.map(({ job, cron, tz, nextRunAt }) => ({
          job,
          cron,
          tz,
          nextRunAt: nextRunAt?.toISOString() ?? null,
        })),
      };
    },
  };
}
