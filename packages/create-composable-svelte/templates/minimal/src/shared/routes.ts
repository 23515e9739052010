import { createRouter, route, type DestinationOf } from '@composable-svelte/core/routing';

/** One table for both sides: the server parses requests with it, the browser could sync history with it. */
export const router = createRouter({
  home: route('/'),
});

export type Destination = DestinationOf<typeof router>;
