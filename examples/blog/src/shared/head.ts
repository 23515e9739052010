import { alternates, type Alternate } from '@composable-svelte/core/i18n';
import { locales } from './i18n/locales.js';
import { messagesOf } from './i18n/messages.js';
import type { BlogState } from './state.js';
import { router, type Destination } from './routes.js';

export const SITE_NAME = 'Field Notes';

export interface HeadInfo {
  readonly title: string;
  readonly description: string;
  /** Absolute canonical URL, or null for pages that should not be indexed (errors). */
  readonly canonical: string | null;
}

/** Title, description and canonical URL from state: the same on the server and after navigation. */
export function headFor(state: BlogState): HeadInfo {
  const { page, origin } = state;
  const t = messagesOf(state.locale);
  // The canonical URL is the page in its own locale; the others are its hreflang alternates.
  const at = (destination: Destination) => origin + locales.localize(state.locale, router.href(destination));
  switch (page.route) {
    case 'home':
      return {
        title: `${SITE_NAME} — ${t.siteTagline}`,
        description: t.siteDescription,
        canonical: state.load.status === 'failed' ? null : at(page),
      };
    case 'post':
    case 'comments': {
      const post = state.postsById[page.params.id];
      if (!post) {
        const failed = state.load.status === 'failed';
        const title = !failed ? t.loadingPost : state.load.httpStatus === 404 ? t.postNotFound : t.postUnavailable;
        // A page that failed to load is not the canonical version of anything.
        return {
          title: `${title} — ${SITE_NAME}`,
          description: t.siteDescription,
          canonical: failed ? null : at(page),
        };
      }
      // The form's page (`?write=1`) shows the same comments: one canonical URL for both.
      const canonical = at(page.route === 'comments' ? { ...page, query: {} } : page);
      const title = page.route === 'comments' ? t.commentsOnTitle(post.title) : post.title;
      return { title: `${title} — ${SITE_NAME}`, description: post.excerpt, canonical };
    }
    case 'subscribe':
      return {
        title: `${t.titleSubscribe} — ${SITE_NAME}`,
        description: t.descriptionSubscribe,
        canonical: at({ route: 'subscribe', params: {}, query: {} }),
      };
    case 'login':
      return {
        title: `${t.signIn} — ${SITE_NAME}`,
        description: t.descriptionLogin,
        canonical: at({ route: 'login', params: {}, query: {} }),
      };
    case 'signup':
      return {
        title: `${t.createAnAccount} — ${SITE_NAME}`,
        description: t.descriptionSignup,
        canonical: at({ route: 'signup', params: {}, query: {} }),
      };
    case 'forgotPassword':
      return {
        title: `${t.resetYourPassword} — ${SITE_NAME}`,
        description: t.descriptionForgot,
        canonical: null,
      };
    case 'resetPassword':
      return {
        title: `${t.chooseNewPassword} — ${SITE_NAME}`,
        description: t.descriptionReset,
        canonical: null,
      };
    case 'account':
    case 'accountKeys':
      return { title: `${t.yourAccount} — ${SITE_NAME}`, description: t.descriptionAccount, canonical: null };
    case 'write':
      return { title: `${t.writeAPost} — ${SITE_NAME}`, description: t.descriptionWrite, canonical: null };
    case 'editPost':
      return {
        title: `${state.editor.postId === page.params.id ? t.editPostTitled(state.editor.title) : t.editAPost} — ${SITE_NAME}`,
        description: t.descriptionEditPost,
        canonical: null,
      };
    case 'admin':
      return { title: `${t.moderation} — ${SITE_NAME}`, description: t.moderationIntro, canonical: null };
    case 'adminUsers':
      return { title: `${t.usersAndRoles} — ${SITE_NAME}`, description: t.descriptionUsers, canonical: null };
    case 'adminJobs':
      return { title: `${t.jobs} — ${SITE_NAME}`, description: t.descriptionJobs, canonical: null };
    case 'notFound':
      return { title: `${t.pageNotFound} — ${SITE_NAME}`, description: t.descriptionNotFound, canonical: null };
    case 'badRequest':
      return { title: `${t.titleBadRequest} — ${SITE_NAME}`, description: t.descriptionBadRequest, canonical: null };
    case 'error':
      return {
        title: `${page.status} ${page.message} — ${SITE_NAME}`,
        description: t.descriptionError,
        canonical: null,
      };
  }
}

/** The page in every locale, for `<link rel="alternate" hreflang>`: only pages with a canonical URL. */
export function alternatesFor(state: BlogState, head: HeadInfo): Alternate[] {
  if (head.canonical === null) return [];
  const path = locales.split(new URL(head.canonical).pathname + new URL(head.canonical).search).path;
  return alternates(locales, state.origin, path);
}

/** HTTP status for a settled state: a post that turned out not to exist is a 404. */
export function statusFor(state: BlogState): number {
  if (state.page.route === 'notFound') return 404;
  if (state.page.route === 'badRequest') return 400;
  if (state.page.route === 'error') return state.page.status;
  if (state.load.status === 'failed') return state.load.httpStatus >= 400 ? state.load.httpStatus : 502;
  return 200;
}
