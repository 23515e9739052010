import type { ApiKeyList, SessionSummary } from '../shared/account.js';
import type { AdminComment, AdminJobs, AdminUser } from '../shared/admin.js';
import { ApiError, type BlogApi } from '../shared/api.js';
import type { PostsRepository } from '../shared/model.js';
import { normalizeComment, validateComment } from '../shared/comment.js';
import { validateSubscription } from '../shared/subscribe.js';
import type { SubscriptionsRepository } from './subscriptions-repository.js';

interface ErrorLog {
  error(details: object, message: string): void;
}

/**
 * The server side of BlogApi: straight to the repository, no HTTP round trip. A repository failure
 * is logged with its cause and becomes a public ApiError, so no internal detail reaches a page.
 */
export interface RepositoryApiContext {
  readonly posts: PostsRepository;
  readonly subscriptions: SubscriptionsRepository;
  readonly log: ErrorLog;
  /** The request's CSRF token (marks the page private); see RequestContext.csrfToken. */
  readonly csrfToken: () => string;
  /** The signed-in viewer's sessions (rejects with ApiError(401) for nobody). */
  readonly listSessions?: () => Promise<readonly SessionSummary[]>;
  /** The signed-in viewer's API keys (rejects with ApiError(401) for nobody). */
  readonly listApiKeys?: () => Promise<ApiKeyList>;
  /** The admin pages' lists, for an admin viewer (reject with ApiError(403) for anyone else). */
  readonly admin?: {
    readonly comments: () => Promise<readonly AdminComment[]>;
    readonly users: () => Promise<readonly AdminUser[]>;
    readonly jobs: () => Promise<AdminJobs>;
  };
  /** The signed-in writer of a comment this request adds: the comment is theirs to delete. */
  readonly viewerId?: number;
}

const notAdmin = () => Promise.reject(new ApiError(403, 'This needs the admin role.'));

export function createRepositoryApi({
  posts: repository,
  subscriptions,
  log,
  csrfToken,
  listSessions,
  listApiKeys,
  viewerId,
  admin,
}: RepositoryApiContext): BlogApi {
  const guarded = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      log.error({ err: error }, `repository failed: ${what}`);
      throw new ApiError(503, 'The blog is having trouble reaching its data. Please try again shortly.');
    }
  };
  return {
    listPosts: () => guarded('listPosts', () => repository.listPosts()),
    getPost: (id) =>
      guarded('getPost', async () => {
        const post = await repository.getPost(id);
        if (!post) throw new ApiError(404, `Post ${id} does not exist`);
        return post;
      }),
    listComments: (postId) =>
      guarded('listComments', async () => {
        const comments = await repository.listComments(postId);
        if (!comments) throw new ApiError(404, `Post ${postId} does not exist`);
        return comments;
      }),
    csrfToken: async () => csrfToken(),
    listSessions: () =>
      guarded('listSessions', () =>
        listSessions ? listSessions() : Promise.reject(new ApiError(401, 'Accounts are not available here.')),
      ),
    listApiKeys: () =>
      guarded('listApiKeys', () =>
        listApiKeys ? listApiKeys() : Promise.reject(new ApiError(401, 'Accounts are not available here.')),
      ),
    adminComments: () => guarded('adminComments', () => (admin ? admin.comments() : notAdmin())),
    adminUsers: () => guarded('adminUsers', () => (admin ? admin.users() : notAdmin())),
    adminJobs: () => guarded('adminJobs', () => (admin ? admin.jobs() : notAdmin())),
    subscribe: (input) =>
      guarded('subscribe', async () => {
        const errors = validateSubscription(input);
        if (Object.keys(errors).length > 0) throw new ApiError(400, 'Please correct the highlighted fields.', errors);
        const name = input.name.trim();
        // An address already on the list gets the answer a new one gets (and no second row):
        // anything else would tell whoever asks who is subscribed.
        await subscriptions.add({ name, email: input.email.trim() });
        return { name };
      }),
    addComment: (postId, input) =>
      guarded('addComment', async () => {
        const errors = validateComment(input);
        if (Object.keys(errors).length > 0) throw new ApiError(400, 'Please correct the highlighted fields.', errors);
        const comment = await repository.addComment(postId, {
          ...normalizeComment(input),
          ...(viewerId === undefined ? {} : { authorId: viewerId }),
        });
        if (!comment) throw new ApiError(404, `Post ${postId} does not exist`);
        return comment;
      }),
  };
}
