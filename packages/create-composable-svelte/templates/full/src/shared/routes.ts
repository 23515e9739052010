import { createRouter, param, route, type DestinationOf } from '@composable-svelte/core/routing';

/** One table for both sides: the server parses requests with it, the browser could sync history with it. */
export const router = createRouter({
  notes: route('/'),
  login: route('/login', { query: { next: param.string({ optional: true, maxLength: 2000 }) } }),
  signup: route('/signup'),
});

export type Destination = DestinationOf<typeof router>;
