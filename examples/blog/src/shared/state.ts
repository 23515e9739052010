import {
  initialAccountState,
  type AccountState,
  type ApiKeyList,
  type CreatedApiKey,
  type Flash,
  type SessionSummary,
} from './account.js';
import { initialAdminState, type AdminAction, type AdminState } from './admin.js';
import { emptyCommentForm, type CommentField, type CommentFieldErrors, type CommentForm } from './comment.js';
import type { LiveEvent } from '@composable-svelte/core/live';
import { initialLiveState, type LiveState } from './live.js';
import type { Comment, Post, PostSummary } from './model.js';
import { emptyPostEditor, type PostEditor } from './post-draft.js';
import type { QueryStamps } from './queries.js';
import type { Destination } from './routes.js';
import type { Locale } from './i18n/locales.js';
import { emptySubscribeForm, type FieldErrors, type SubscribeField, type SubscribeForm } from './subscribe.js';

/** What the main area shows. Route destinations plus the pages no route produces. */
export type Page =
  | Destination
  | { readonly route: 'notFound'; readonly path: string }
  | {
      readonly route: 'badRequest';
      readonly path: string;
      readonly errors: readonly { path: string; message: string }[];
    }
  | { readonly route: 'error'; readonly status: number; readonly message: string; readonly requestId: string };

/** Status of the data the current page needs. */
export type Load =
  | { readonly status: 'ready' }
  | { readonly status: 'loading' }
  | { readonly status: 'failed'; readonly httpStatus: number; readonly message: string };

export interface BlogState {
  readonly page: Page;
  readonly load: Load;
  /** Everything loaded so far, so going back shows data at once instead of fetching it again. */
  readonly posts: readonly PostSummary[] | null;
  readonly postsById: Readonly<Record<string, Post>>;
  readonly commentsByPost: Readonly<Record<string, readonly Comment[]>>;
  /** When the server or the browser received each of those, for the browser's query cache. */
  readonly queries: QueryStamps;
  readonly subscribe: SubscribeForm;
  /** The viewer, the sign-in forms and the account page. */
  readonly account: AccountState;
  readonly commentForm: CommentForm;
  /** The post the editor page opens (a new one on /write); set by the server, which renders that page. */
  readonly editor: PostEditor;
  /** What the admin pages list. */
  readonly admin: AdminState;
  /** The live connection: new comments and who is reading (browser only). */
  readonly live: LiveState;
  /** Public origin for canonical URLs, e.g. https://blog.example.com */
  readonly origin: string;
  /** The interface's language, from the URL's prefix: every link and text of the page follows it. */
  readonly locale: Locale;
}

export type BlogAction =
  | AdminAction
  | { readonly type: 'navigate'; readonly page: Page }
  | { readonly type: 'retry' }
  | { readonly type: 'postsLoaded'; readonly posts: readonly PostSummary[]; readonly updatedAt: number }
  | { readonly type: 'postLoaded'; readonly post: Post; readonly updatedAt: number }
  | {
      readonly type: 'commentsLoaded';
      readonly postId: number;
      readonly comments: readonly Comment[];
      readonly updatedAt: number;
    }
  | { readonly type: 'loadFailed'; readonly httpStatus: number; readonly message: string }
  /** A member page was navigated to and the member feature is in: it loads what the page lacks. */
  | { readonly type: 'memberPageEntered' }
  /** A background revalidation failed: the page keeps showing what it has. */
  | { readonly type: 'refreshFailed' }
  | { readonly type: 'csrfTokenLoaded'; readonly token: string }
  | { readonly type: 'accountTokenLoaded'; readonly token: string }
  | { readonly type: 'sessionsLoaded'; readonly sessions: readonly SessionSummary[] }
  | { readonly type: 'apiKeysLoaded'; readonly apiKeys: ApiKeyList }
  /** The API key form's POST made a key: its answer is the only page that shows it. */
  | { readonly type: 'apiKeyCreated'; readonly created: CreatedApiKey }
  | { readonly type: 'apiKeyFormRefused'; readonly message: string; readonly name: string }
  /** The message a redirect after a form left for this page. */
  | { readonly type: 'flashShown'; readonly flash: Flash }
  /** The server refused a sign-in, sign-up or account form; the page shows it again. */
  | {
      readonly type: 'accountFormRefused';
      readonly message: string;
      readonly email?: string;
      readonly name?: string;
    }
  | { readonly type: 'subscribeFieldChanged'; readonly field: SubscribeField; readonly value: string }
  | { readonly type: 'subscribeSubmitted' }
  | { readonly type: 'subscribeSucceeded'; readonly name: string }
  | { readonly type: 'subscribeFailed'; readonly message: string | null; readonly errors: FieldErrors }
  | { readonly type: 'commentFieldChanged'; readonly field: CommentField; readonly value: string }
  | { readonly type: 'commentSubmitted'; readonly postId: number }
  | { readonly type: 'commentPosted'; readonly comment: Comment }
  | { readonly type: 'commentFailed'; readonly message: string | null; readonly errors: CommentFieldErrors }
  /** A post's live status appeared (LiveStatus): open the live connection (when the blog serves one). */
  | { readonly type: 'liveStarted' }
  | { readonly type: 'liveEvent'; readonly event: LiveEvent };

export function initialBlogState(page: Page, origin: string, account?: AccountState, locale: Locale = 'en'): BlogState {
  return {
    page,
    load: { status: 'ready' },
    posts: null,
    postsById: {},
    commentsByPost: {},
    queries: {},
    subscribe: emptySubscribeForm,
    account: account ?? initialAccountState(false, null),
    commentForm: emptyCommentForm,
    editor: emptyPostEditor,
    admin: initialAdminState,
    live: initialLiveState(false),
    origin,
    locale,
  };
}
