import type { BlogState } from './state.js';
import { router } from './routes.js';

export const SITE_NAME = 'Field Notes';
export const SITE_DESCRIPTION = 'Essays on building and running web software: rendering, caching, testing, operations.';

export interface HeadInfo {
  readonly title: string;
  readonly description: string;
  /** Absolute canonical URL, or null for pages that should not be indexed (errors). */
  readonly canonical: string | null;
}

/** Title, description and canonical URL from state: the same on the server and after navigation. */
export function headFor(state: BlogState): HeadInfo {
  const { page, origin } = state;
  switch (page.route) {
    case 'home':
      return {
        title: `${SITE_NAME} — essays on web software`,
        description: SITE_DESCRIPTION,
        canonical: state.load.status === 'failed' ? null : origin + router.href(page),
      };
    case 'post':
    case 'comments': {
      const post = state.postsById[page.params.id];
      if (!post) {
        const failed = state.load.status === 'failed';
        const title = !failed ? 'Loading post…' : state.load.httpStatus === 404 ? 'Post not found' : 'Post unavailable';
        // A page that failed to load is not the canonical version of anything.
        return {
          title: `${title} — ${SITE_NAME}`,
          description: SITE_DESCRIPTION,
          canonical: failed ? null : origin + router.href(page),
        };
      }
      // The form's page (`?write=1`) shows the same comments: one canonical URL for both.
      const canonical = origin + router.href(page.route === 'comments' ? { ...page, query: {} } : page);
      const prefix = page.route === 'comments' ? 'Comments on ' : '';
      return { title: `${prefix}${post.title} — ${SITE_NAME}`, description: post.excerpt, canonical };
    }
    case 'subscribe':
      return {
        title: `Subscribe — ${SITE_NAME}`,
        description: 'Get new essays from Field Notes by email, about once a month.',
        canonical: origin + router.href({ route: 'subscribe', params: {}, query: {} }),
      };
    case 'login':
      return {
        title: `Sign in — ${SITE_NAME}`,
        description: 'Sign in to comment on Field Notes.',
        canonical: origin + router.href({ route: 'login', params: {}, query: {} }),
      };
    case 'signup':
      return {
        title: `Create an account — ${SITE_NAME}`,
        description: 'Create a Field Notes account to comment on essays.',
        canonical: origin + router.href({ route: 'signup', params: {}, query: {} }),
      };
    case 'forgotPassword':
      return {
        title: `Reset your password — ${SITE_NAME}`,
        description: 'Get a link to choose a new Field Notes password.',
        canonical: null,
      };
    case 'resetPassword':
      return {
        title: `Choose a new password — ${SITE_NAME}`,
        description: 'Choose a new Field Notes password.',
        canonical: null,
      };
    case 'account':
    case 'accountKeys':
      return { title: `Your account — ${SITE_NAME}`, description: 'Your sessions and password.', canonical: null };
    case 'write':
      return { title: `Write a post — ${SITE_NAME}`, description: 'Write a new essay.', canonical: null };
    case 'editPost':
      return {
        title: `Edit ${state.editor.postId === page.params.id ? `“${state.editor.title}”` : 'a post'} — ${SITE_NAME}`,
        description: 'Edit an essay.',
        canonical: null,
      };
    case 'admin':
      return { title: `Moderation — ${SITE_NAME}`, description: 'The newest comments on every post.', canonical: null };
    case 'adminUsers':
      return { title: `Users and roles — ${SITE_NAME}`, description: 'Accounts and their roles.', canonical: null };
    case 'adminJobs':
      return { title: `Jobs — ${SITE_NAME}`, description: 'Background job queues and schedules.', canonical: null };
    case 'notFound':
      return { title: `Page not found — ${SITE_NAME}`, description: 'This page does not exist.', canonical: null };
    case 'badRequest':
      return { title: `Bad request — ${SITE_NAME}`, description: 'This address is not valid.', canonical: null };
    case 'error':
      return {
        title: `${page.status} ${page.message} — ${SITE_NAME}`,
        description: 'Something went wrong.',
        canonical: null,
      };
  }
}

/** HTTP status for a settled state: a post that turned out not to exist is a 404. */
export function statusFor(state: BlogState): number {
  if (state.page.route === 'notFound') return 404;
  if (state.page.route === 'badRequest') return 400;
  if (state.page.route === 'error') return state.page.status;
  if (state.load.status === 'failed') return state.load.httpStatus >= 400 ? state.load.httpStatus : 502;
  return 200;
}
