import adapter from '@sveltejs/adapter-node';

/** SvelteKit defaults throughout: the baseline is an ordinary SvelteKit app, not a tuned one. */
export default {
  kit: {
    adapter: adapter({ out: 'build' }),
  },
};
