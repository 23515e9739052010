import { lazyReducer, type LazyReducer } from '@composable-svelte/core';
import type { BlogDependencies } from './api.js';
import type { BlogAction, BlogState } from './state.js';

// The features a visit may never show, each in a chunk of its own. A page that shows one loads it
// with its own chunk (page-components.ts), and an effect whose answer is one of its actions awaits
// it too (reducer.ts), so none of its actions arrives before it. The server loads them all.

/** The newsletter form (the subscribe page). */
export const subscribeFeature = lazyReducer<BlogState, BlogAction, BlogDependencies>(
  () => import('./subscribe-reducer.js'),
);

/** The comment form (the comments page). */
export const commentFeature = lazyReducer<BlogState, BlogAction, BlogDependencies>(
  () => import('./comment-reducer.js'),
);

/** The sign-in, account and admin pages' data (the member pages). */
export const memberFeature = lazyReducer<BlogState, BlogAction, BlogDependencies>(() => import('./member-reducer.js'));

/** The live channel of a post: new comments and readers (the post and comments pages). */
export const liveFeature = lazyReducer<BlogState, BlogAction, BlogDependencies>(() => import('./live-reducer.js'));

/** Each feature's module as the client build's manifest names it, for the server's modulepreload. */
export const featureModules: ReadonlyMap<LazyReducer<BlogState, BlogAction, BlogDependencies>, string> = new Map([
  [subscribeFeature, 'src/shared/subscribe-reducer.ts'],
  [commentFeature, 'src/shared/comment-reducer.ts'],
  [memberFeature, 'src/shared/member-reducer.ts'],
  [liveFeature, 'src/shared/live-reducer.ts'],
]);

/** Every feature: a server renders any page, so it loads them all before it serves (tests do too). */
export async function loadAllFeatures(): Promise<void> {
  await Promise.all([...featureModules.keys()].map((feature) => feature.load()));
}
