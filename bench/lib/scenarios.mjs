/** What is measured: a server and a path. The order here is the order of the table. */
export const SCENARIOS = [
  { id: 'ours-home', server: 'ours', path: '/', label: 'ours  /          uncached' },
  { id: 'ours-post', server: 'ours', path: '/posts/1', label: 'ours  /posts/1   uncached' },
  { id: 'ours-api', server: 'ours', path: '/api/posts', label: 'ours  /api/posts' },
  { id: 'ours-home-cached', server: 'ours-cached', path: '/', label: 'ours  /          cached' },
  { id: 'ours-home-preset-off', server: 'ours-preset-off', path: '/', label: 'ours  /          PRESET=off, uncached' },
  { id: 'ours-home-ratelimit', server: 'ours-ratelimit', path: '/', label: 'ours  /          rate limiter on (info)' },
  { id: 'kit-home', server: 'sveltekit', path: '/', label: 'SvelteKit  /' },
  { id: 'kit-post', server: 'sveltekit', path: '/posts/1', label: 'SvelteKit  /posts/1' },
  { id: 'ceiling-ssr-home', server: 'ceiling-ssr', path: '/', label: 'minimal SSR  / (ceiling)' },
  { id: 'ceiling-ssr-post', server: 'ceiling-ssr', path: '/posts/1', label: 'minimal SSR  /posts/1 (ceiling)' },
  { id: 'pg-ours-home', server: 'pg-ours', path: '/', label: 'ours  /          uncached' },
  { id: 'pg-ours-post', server: 'pg-ours', path: '/posts/1', label: 'ours  /posts/1   uncached' },
  { id: 'pg-ours-api', server: 'pg-ours', path: '/api/posts', label: 'ours  /api/posts' },
  { id: 'pg-ours-home-cached', server: 'pg-ours-cached', path: '/', label: 'ours  /          cached' },
  { id: 'pg-kit-home', server: 'pg-sveltekit', path: '/', label: 'SvelteKit  /' },
  { id: 'pg-kit-post', server: 'pg-sveltekit', path: '/posts/1', label: 'SvelteKit  /posts/1' },
  { id: 'pg-ceiling-ssr-home', server: 'pg-ceiling-ssr', path: '/', label: 'minimal SSR  / (ceiling)' },
  { id: 'pg-ceiling-ssr-post', server: 'pg-ceiling-ssr', path: '/posts/1', label: 'minimal SSR  /posts/1 (ceiling)' },
  { id: 'raw-home', server: 'raw-fastify', path: '/', label: 'raw Fastify  / (constant bytes + headers)' },
];

/** The id of scenario or check `base` in `tier`: the embedded tier keeps the names it always had. */
export const inTier = (tier, base) => (tier === 'postgres' ? `pg-${base}` : base);

/**
 * Cold starts, each measured `--starts` times from spawn to the first 200 and stopped again.
 * `disk` starts ours on an embedded database in a directory on disk: `empty` removes it before every
 * start (a first run: the build's template is unpacked, then migrations and seed find nothing to do),
 * `existing` reuses the one the first-run start just left.
 */
export const STARTUPS = [
  { id: 'ours-no-db', server: 'ours-no-db', label: 'ours, no database (seed posts in memory)' },
  { id: 'ours-first-run', server: 'ours', disk: 'empty', label: 'ours, first run (empty DATABASE_DIR on disk)' },
  { id: 'ours-existing', server: 'ours', disk: 'existing', label: 'ours, existing database on disk' },
  { id: 'pg-ours', server: 'pg-ours', label: 'ours, migrated and seeded PostgreSQL' },
  { id: 'sveltekit', server: 'sveltekit', label: 'SvelteKit (PGlite from the template; ready = first /)' },
  { id: 'raw-fastify', server: 'raw-fastify', label: 'raw Fastify' },
];
