import { BLOG_DB_TEMPLATE, BLOG_ENTRY, BLOG_WITHOUT_DATABASE, CACHE, KIT, MINIMAL_SSR, RAW_FASTIFY } from './paths.mjs';
import { baseEnv } from './proc.mjs';

/** The database tiers, in the order they are reported. */
export const TIERS = ['embedded', 'postgres'];

export const TIER_LABELS = {
  embedded: 'embedded database (PGlite, one in memory per server, started from the build template)',
  postgres: 'PostgreSQL (the bench database, migrated and seeded by the blog)',
};

const UNCACHED = { RATE_LIMIT_ENABLED: 'false', CACHE_ENABLED: 'false' };
const CACHED = { RATE_LIMIT_ENABLED: 'false', CACHE_ENABLED: 'true' };

/**
 * The servers. `kind` says how one is spawned, `tier` which database it reads (null: none), and
 * `knobs` are the variables that distinguish it from its kind's defaults (shown in the report).
 */
export const SERVERS = {
  ours: { kind: 'ours', tier: 'embedded', label: 'ours (production preset, uncached)', knobs: UNCACHED },
  'ours-cached': { kind: 'ours', tier: 'embedded', label: 'ours (production preset, page cache)', knobs: CACHED },
  'ours-preset-off': {
    kind: 'ours',
    tier: 'embedded',
    label: 'ours (PRESET=off, uncached)',
    knobs: { PRESET: 'off', ...UNCACHED },
  },
  'ours-ratelimit': {
    kind: 'ours',
    tier: 'embedded',
    label: 'ours (preset, uncached, limiter on, never reached)',
    knobs: {
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MAX: '1000000',
      RATE_LIMIT_WINDOW_MS: '1000',
      CACHE_ENABLED: 'false',
    },
  },
  sveltekit: { kind: 'sveltekit', tier: 'embedded', label: 'SvelteKit 2 + adapter-node', knobs: {} },
  'ceiling-ssr': {
    kind: 'ceiling-ssr',
    tier: 'embedded',
    label: 'minimal SSR (bare Fastify + svelte/server)',
    knobs: {},
  },
  'pg-ours': { kind: 'ours', tier: 'postgres', label: 'ours (production preset, uncached)', knobs: UNCACHED },
  'pg-ours-cached': { kind: 'ours', tier: 'postgres', label: 'ours (production preset, page cache)', knobs: CACHED },
  'pg-sveltekit': { kind: 'sveltekit', tier: 'postgres', label: 'SvelteKit 2 + adapter-node', knobs: {} },
  'pg-ceiling-ssr': {
    kind: 'ceiling-ssr',
    tier: 'postgres',
    label: 'minimal SSR (bare Fastify + svelte/server)',
    knobs: {},
  },
  'ours-no-db': {
    kind: 'ours',
    tier: null,
    label: 'ours (production preset, seed posts in memory, no database)',
    knobs: UNCACHED,
    script: BLOG_WITHOUT_DATABASE,
  },
  'raw-fastify': { kind: 'raw-fastify', tier: null, label: 'raw Fastify (constant HTML and headers)', knobs: {} },
};

/**
 * How to spawn server `id` on `port`. `run` holds what the whole run shares: `sessionSecret`,
 * `postgresUrl` (the bench database), `htmlFile` and `headersFile` (raw Fastify's response) and
 * `publicUrls` (ours' public URL per tier, which the minimal-SSR ceiling prints into its pages as
 * ours does). `env` overrides variables, e.g. an on-disk DATABASE_DIR for the start-up measurements.
 */
export function spawnSpec(id, port, run, env = {}) {
  const server = SERVERS[id];
  // Only the variables given here apply: children inherit nothing else and run in a directory
  // without a .env file.
  const common = { NODE_ENV: 'production', PORT: String(port), HOST: '127.0.0.1' };
  const database =
    server.tier === 'postgres'
      ? { DATABASE_URL: run.postgresUrl }
      : server.script
        ? {}
        : server.kind === 'ours'
          ? // Several of ours run at once: each its own embedded database (started from the build's template).
            { DATABASE_DIR: 'memory://' }
          : { DATABASE_TEMPLATE: BLOG_DB_TEMPLATE };
  switch (server.kind) {
    case 'sveltekit':
      return {
        name: id,
        args: ['build'],
        cwd: KIT,
        port,
        // ORIGIN makes SvelteKit's url.origin (the canonical link) match ours, http://localhost:<port>.
        env: baseEnv({ ...common, ORIGIN: `http://localhost:${port}`, ...database, ...env }),
        // SvelteKit has no health route: its first page is its first sign of life.
        readyPath: '/',
      };
    case 'ceiling-ssr': {
      const publicUrl = run.publicUrls?.[server.tier];
      return {
        name: id,
        args: [MINIMAL_SSR],
        cwd: CACHE,
        port,
        env: baseEnv({ ...common, ...(publicUrl ? { PUBLIC_URL: publicUrl } : {}), ...database, ...env }),
      };
    }
    case 'raw-fastify':
      return {
        name: id,
        args: [RAW_FASTIFY],
        cwd: CACHE,
        port,
        env: baseEnv({ ...common, HTML_FILE: run.htmlFile, HEADERS_FILE: run.headersFile }),
      };
    default:
      return {
        name: id,
        args: [server.script ?? BLOG_ENTRY],
        cwd: CACHE,
        port,
        env: baseEnv({
          ...common,
          SESSION_SECRET: run.sessionSecret,
          LOG_LEVEL: 'warn',
          ...database,
          ...server.knobs,
          ...env,
        }),
      };
  }
}
