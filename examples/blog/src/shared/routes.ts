import { createRouter, param, route, type DestinationOf, type ParseResult } from '@composable-svelte/core/routing';

/** One table for both sides: the server parses requests with it, the browser syncs history with it. */
export const router = createRouter({
  home: route('/'),
  post: route('/posts/:id', { params: { id: param.int({ min: 1, max: 1_000_000_000 }) } }),
  // The editors: pages of their own (private, loaded in full) whose forms post to /posts and /posts/:id.
  write: route('/write'),
  editPost: route('/posts/:id/edit', { params: { id: param.int({ min: 1, max: 1_000_000_000 }) } }),
  // `?write=1` shows the comment form: a private page, since the form carries the reader's CSRF token.
  comments: route('/posts/:id/comments', {
    params: { id: param.int({ min: 1, max: 1_000_000_000 }) },
    query: { write: param.enum(['1'] as const, { optional: true }) },
  }),
  subscribe: route('/subscribe', { query: { subscribed: param.enum(['1'] as const, { optional: true }) } }),
  // `?reset=sent|done`: where the password reset forms land (the framework's recovery routes).
  login: route('/login', {
    query: {
      next: param.string({ optional: true, maxLength: 2000 }),
      reset: param.enum(['sent', 'done'] as const, { optional: true }),
    },
  }),
  forgotPassword: route('/password/forgot'),
  // The mailed link's page. The framework's recovery route checks the token, then renders this page.
  resetPassword: route('/password/reset', { query: { token: param.string({ optional: true, maxLength: 200 }) } }),
  signup: route('/signup', { query: { next: param.string({ optional: true, maxLength: 2000 }) } }),
  account: route('/account'),
  // The account page again, as the answer to its API key form (the one page that shows a new key).
  accountKeys: route('/account/keys'),
  // The admin area (role `admin`): comment moderation, accounts' roles, background jobs.
  admin: route('/admin'),
  adminUsers: route('/admin/users'),
  adminJobs: route('/admin/jobs'),
});

export type Destination = DestinationOf<typeof router>;
export type RouteResult = ParseResult<Destination>;
