/** The admin pages' data as it travels through state, the JSON endpoints and the serialized SSR state. */

/** The roles an admin hands out on the users page. */
export const ROLES = ['reader', 'author', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isRole = (name: string): name is Role => (ROLES as readonly string[]).includes(name);

/** A comment on the moderation page: any post's, hidden ones included. */
export interface AdminComment {
  readonly id: number;
  readonly postId: number;
  readonly postTitle: string;
  readonly author: string;
  readonly body: string;
  readonly createdAt: string;
  readonly hidden: boolean;
}

export interface AdminUser {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly string[];
  readonly createdAt: string;
}

/** One job queue's counts (pg-boss's, refreshed every supervise interval). */
export interface AdminQueue {
  readonly queue: string;
  readonly queued: number;
  readonly active: number;
  readonly deferred: number;
  readonly failed: number;
  readonly deadLetters: number;
}

/** A job that used up its retries, with its last error: what the retry button sends back. */
export interface AdminDeadLetter {
  readonly id: string;
  readonly queue: string;
  readonly error: string;
  readonly attempts: number | null;
  readonly failedAt: string;
}

export interface AdminSchedule {
  readonly job: string;
  readonly cron: string;
  readonly tz: string;
  readonly nextRunAt: string | null;
}

export interface AdminJobs {
  /** False when the blog runs no jobs: the page says so instead of showing empty tables. */
  readonly enabled: boolean;
  readonly queues: readonly AdminQueue[];
  readonly deadLetters: readonly AdminDeadLetter[];
  readonly schedules: readonly AdminSchedule[];
}

export interface AdminState {
  readonly comments: readonly AdminComment[] | null;
  readonly users: readonly AdminUser[] | null;
  readonly jobs: AdminJobs | null;
}

export const initialAdminState: AdminState = { comments: null, users: null, jobs: null };

export type AdminAction =
  | { readonly type: 'adminCommentsLoaded'; readonly comments: readonly AdminComment[] }
  | { readonly type: 'adminUsersLoaded'; readonly users: readonly AdminUser[] }
  | { readonly type: 'adminJobsLoaded'; readonly jobs: AdminJobs };

export function isAdminAction(action: { readonly type: string }): action is AdminAction {
  return (
    action.type === 'adminCommentsLoaded' || action.type === 'adminUsersLoaded' || action.type === 'adminJobsLoaded'
  );
}

export function adminReducer(state: AdminState, action: AdminAction): AdminState {
  switch (action.type) {
    case 'adminCommentsLoaded':
      return { ...state, comments: action.comments };
    case 'adminUsersLoaded':
      return { ...state, users: action.users };
    case 'adminJobsLoaded':
      return { ...state, jobs: action.jobs };
  }
}

/** Whether the viewer may see the admin pages (the server decides; this only shapes links). */
export const isAdmin = (viewer: { readonly roles: readonly string[] } | null): boolean =>
  viewer?.roles.includes('admin') ?? false;
