import { Effect, type Dependencies, type Reducer } from '@composable-svelte/core';
import type { BlogDependencies } from './api.js';
import { adminReducer, isAdminAction, type AdminState } from './admin.js';
import { load, LOAD_ID, settle, type Need } from './page-loads.js';
import type { BlogAction, BlogState, Page } from './state.js';

/** A CSRF token for the account forms, when the page was not rendered by the server with one. */
function accountToken(api: BlogDependencies['api']): Need {
  return {
    missing: true,
    effect: load((signal) =>
      api.csrfToken(signal).then((token): BlogAction => ({ type: 'accountTokenLoaded', token })),
    ),
  };
}

type AdminPage = 'admin' | 'adminUsers' | 'adminJobs';

/** Which of the admin state's lists an admin page shows. */
const adminListOf = { admin: 'comments', adminUsers: 'users', adminJobs: 'jobs' } as const satisfies Record<
  AdminPage,
  keyof AdminState
>;

/**
 * An admin page's list, asked for on every visit: moderation acts on what is there now. A list
 * already in the state stays on screen meanwhile.
 */
function adminList(state: BlogState, page: AdminPage, api: BlogDependencies['api']): Need {
  const request = (signal: AbortSignal): Promise<BlogAction> => {
    switch (page) {
      case 'admin':
        return api.adminComments(signal).then((comments) => ({ type: 'adminCommentsLoaded', comments }));
      case 'adminUsers':
        return api.adminUsers(signal).then((users) => ({ type: 'adminUsersLoaded', users }));
      case 'adminJobs':
        return api.adminJobs(signal).then((jobs) => ({ type: 'adminJobsLoaded', jobs }));
    }
  };
  return { missing: state.admin[adminListOf[page]] === null, effect: load(request) };
}

/** What a member page needs loaded. */
function needs(state: BlogState, page: Page, api: BlogDependencies['api']): Need[] {
  switch (page.route) {
    case 'login':
    case 'signup':
    case 'forgotPassword':
    case 'resetPassword':
      return state.account.csrfToken ? [] : [accountToken(api)];
    case 'account':
    case 'accountKeys':
      if (!state.account.viewer) return [];
      return [
        ...(state.account.csrfToken ? [] : [accountToken(api)]),
        ...(state.account.sessions
          ? []
          : [
              {
                missing: true,
                effect: load((signal) =>
                  api.listSessions(signal).then((sessions): BlogAction => ({ type: 'sessionsLoaded', sessions })),
                ),
              },
            ]),
        ...(state.account.apiKeys
          ? []
          : [
              {
                missing: true,
                effect: load((signal) =>
                  api.listApiKeys(signal).then((apiKeys): BlogAction => ({ type: 'apiKeysLoaded', apiKeys })),
                ),
              },
            ]),
      ];
    case 'admin':
    case 'adminUsers':
    case 'adminJobs':
      return state.account.viewer ? [adminList(state, page.route, api)] : [];
    default:
      return [];
  }
}

function lacksData(state: BlogState, page: Page): boolean {
  switch (page.route) {
    case 'login':
    case 'signup':
    case 'forgotPassword':
    case 'resetPassword':
      return state.account.csrfToken === null;
    case 'account':
    case 'accountKeys':
      return (
        state.account.viewer !== null &&
        (state.account.csrfToken === null || state.account.sessions === null || state.account.apiKeys === null)
      );
    case 'admin':
    case 'adminUsers':
    case 'adminJobs':
      return state.account.viewer !== null && state.admin[adminListOf[page.route]] === null;
    default:
      return false;
  }
}

/**
 * The sign-in, account and admin pages' data: a lazy feature (features.ts), so the list and the
 * posts do not carry it. The page reducer sends `memberPageEntered` once it is in.
 */
const memberReducer: Reducer<BlogState, BlogAction, BlogDependencies & Dependencies> = (state, action, { api }) => {
  if (isAdminAction(action))
    return [settle({ ...state, admin: adminReducer(state.admin, action) }, lacksData), Effect.none()];
  switch (action.type) {
    case 'memberPageEntered': {
      // The navigation's load goes on: its requests join the work under the page's load id (the
      // task that sent this action), which the next navigation cancels.
      const needed = needs(state, state.page, api);
      const load = needed.some((n) => n.missing) ? ({ status: 'loading' } as const) : ({ status: 'ready' } as const);
      const effect = Effect.batch(...needed.map((n) => n.effect));
      return [{ ...state, load }, Effect.cancellable(LOAD_ID, effect, { cancelInFlight: false })];
    }
    case 'accountTokenLoaded':
      return [settle({ ...state, account: { ...state.account, csrfToken: action.token } }, lacksData), Effect.none()];
    case 'sessionsLoaded':
      return [settle({ ...state, account: { ...state.account, sessions: action.sessions } }, lacksData), Effect.none()];
    case 'apiKeysLoaded':
      return [settle({ ...state, account: { ...state.account, apiKeys: action.apiKeys } }, lacksData), Effect.none()];
    case 'apiKeyCreated':
      return [{ ...state, account: { ...state.account, createdApiKey: action.created } }, Effect.none()];
    case 'apiKeyFormRefused':
      return [
        { ...state, account: { ...state.account, apiKeyForm: { message: action.message, name: action.name } } },
        Effect.none(),
      ];
    case 'accountFormRefused':
      return [
        {
          ...state,
          account: {
            ...state.account,
            form: { message: action.message, email: action.email ?? '', name: action.name ?? '' },
          },
        },
        Effect.none(),
      ];
    default:
      return [state, Effect.none()];
  }
};

/** What its chunk gives features.ts. */
export default memberReducer as Reducer<BlogState, BlogAction, BlogDependencies>;
