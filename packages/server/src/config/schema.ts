import { Type, type Static, type TSchema } from '@sinclair/typebox';

/**
 * Every environment variable the server reads, in one schema. `x-secret` marks values start-up
 * errors must never print: 'value' (say only its length) or 'url' (show it without credentials). `default` applies everywhere;
 * `production` / `development` / `test` override it for that NODE_ENV. docs/configuration.md is
 * generated from this file (npm run docs:config), and a test fails when the doc is stale.
 */
type Env = 'production' | 'development' | 'test';
type PerEnv = Partial<Record<Env, unknown>>;

function setting<T extends TSchema>(schema: T, description: string, perEnv: PerEnv = {}): T {
  return { ...schema, description, 'x-env-defaults': perEnv } as T;
}

const bool = (description: string, fallback: boolean, perEnv: PerEnv = {}) =>
  setting(Type.Boolean({ default: fallback }), description, perEnv);
const int = (description: string, fallback: number, min: number, max: number, perEnv: PerEnv = {}) =>
  setting(Type.Integer({ default: fallback, minimum: min, maximum: max }), description, perEnv);

export const ConfigSchema = Type.Object({
  PRESET: setting(
    Type.Union([Type.Literal('production'), Type.Literal('off')], { default: 'production' }),
    'production: every protection and production plugin on. off: only rendering, routing and static files (for measuring what the preset costs; never for real traffic).',
  ),
  NODE_ENV: setting(
    Type.Union([Type.Literal('production'), Type.Literal('development'), Type.Literal('test')], {
      default: 'development',
    }),
    'Runtime mode. production turns every protection on and hides internal error messages.',
  ),
  HOST: setting(Type.String({ default: '127.0.0.1', minLength: 1 }), 'Interface to listen on.', {
    production: '0.0.0.0',
  }),
  PORT: int('TCP port to listen on (0 picks a free one).', 3000, 0, 65535),
  PUBLIC_URL: setting(
    Type.Optional(
      Type.String({ pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$', 'x-error': 'must be an absolute http(s) URL' }),
    ),
    'Public origin of the site, e.g. https://blog.example.com: canonical URLs use it, and it is the only origin (with CORS_ORIGINS) whose state-changing requests pass the CSRF check. https makes the CSRF cookie __Host-cs_csrf. Defaults to http://localhost:$PORT.',
  ),
  LOG_LEVEL: setting(
    Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
    'Minimum level written to the log.',
    { test: 'silent' },
  ),
  LANG_DEFAULT: setting(
    Type.String({
      default: 'en',
      pattern: '^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$',
      'x-error': 'must be a BCP 47 language tag like en or pt-BR',
    }),
    '`<html lang>` when the app sets none (BCP 47).',
  ),
  APP_TITLE: setting(
    Type.String({ default: 'Composable Svelte app', minLength: 1 }),
    'Title of a page whose head sets none.',
  ),
  SSR_TIMEOUT_MS: int('How long a page may wait for its effects before the server answers 504.', 5000, 1, 600_000),
  TRUST_PROXY: setting(
    Type.String({ default: 'false' }),
    'Which proxies to trust for the client IP: false, true (never in production unless a proxy always sits in front), a hop count, or a comma-separated list of addresses/CIDRs (e.g. 127.0.0.1,10.0.0.0/8).',
  ),
  REQUEST_ID_HEADER: setting(
    Type.Optional(
      Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', 'x-error': 'must be a header name (letters, digits, dashes)' }),
    ),
    'Header a trusted proxy sets with a request id (e.g. x-request-id). Taken only when well-formed; unset means ids are always generated.',
  ),
  SESSION_SECRET: setting(
    Type.Optional(Type.String({ minLength: 32, 'x-error': 'must be at least 32 characters', 'x-secret': 'value' })),
    'Secret that signs cookies (CSRF). At least 32 characters; required in production. Development generates one per process. Never printed: a configuration error gives only its length.',
  ),
  REDIS_URL: setting(
    Type.Optional(
      Type.String({ pattern: '^rediss?://', 'x-error': 'must be a redis:// or rediss:// URL', 'x-secret': 'url' }),
    ),
    'Redis connection URL. When set, rate limits and the page cache are shared through Redis by every instance.',
  ),
  REDIS_KEY_PREFIX: setting(
    Type.String({
      default: 'cs:',
      pattern: '^[A-Za-z0-9:._-]{1,64}$',
      'x-error': 'must be 1–64 letters, digits, colons, dots, dashes or underscores',
    }),
    'Prefix of every key the server writes to Redis (pages, rate limits), so several apps or environments can share one Redis.',
  ),
  DATABASE_URL: setting(
    Type.Optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        'x-error': 'must be a postgres:// or postgresql:// URL',
        'x-secret': 'url',
      }),
    ),
    "PostgreSQL connection URL. When set, the app's database is this PostgreSQL server (a pool); unset, the embedded database in DATABASE_DIR.",
  ),
  DATABASE_DIR: setting(
    Type.String({ default: '.data/db', minLength: 1 }),
    'Directory of the embedded database (PGlite), used when DATABASE_URL is unset; created on first start. memory:// keeps it in memory (lost on exit). One process only: with WEB_CONCURRENCY > 1 set DATABASE_URL.',
    { test: 'memory://' },
  ),
  DATABASE_POOL_MAX: int('Most PostgreSQL connections the pool opens.', 10, 1, 1000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(
    'PostgreSQL cancels a statement running longer than this (0: no limit). The embedded database cannot enforce it.',
    10_000,
    0,
    3_600_000,
  ),
  DATABASE_IDLE_TIMEOUT_MS: int('An idle PostgreSQL connection is closed after this long.', 30_000, 1000, 3_600_000),
  DATABASE_SLOW_QUERY_MS: int('A statement slower than this is logged at warn (0: never).', 500, 0, 3_600_000),
  RATE_LIMIT_ENABLED: bool('Rate limiting on or off. Turning it off in production is logged at start-up.', true),
  RATE_LIMIT_MAX: int('Requests per window per client, for every counted route.', 300, 1, 1_000_000),
  RATE_LIMIT_WINDOW_MS: int('Length of the sliding rate-limit window.', 60_000, 1000, 86_400_000),
  RATE_LIMIT_FORM_MAX: int('Stricter limit per window for form and other state-changing routes.', 20, 1, 1_000_000),
  RATE_LIMIT_ON_REDIS_ERROR: setting(
    Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
    'When Redis is unreachable: open lets requests through (logged, counted), closed answers 503.',
  ),
  CORS_ORIGINS: setting(
    Type.String({ default: '' }),
    'Comma-separated origins allowed to call the server cross-origin (e.g. https://app.example.com). Empty: CORS off.',
  ),
  CORS_CREDENTIALS: bool('Allow credentials on CORS requests (only ever with the explicit origins above).', false),
  HSTS_PRELOAD: bool('Add preload to Strict-Transport-Security (only once the domain is on the preload list).', false),
  COEP: setting(
    Type.Union([Type.Literal('require-corp'), Type.Literal('credentialless')], { default: 'require-corp' }),
    'Cross-Origin-Embedder-Policy value.',
  ),
  BODY_LIMIT_BYTES: int('Largest accepted request body; bigger bodies get 413.', 1_048_576, 1024, 104_857_600),
  MAX_URI_LENGTH: int('Longest accepted request target; longer ones get 414.', 4096, 256, 65_536),
  MAX_HEADER_BYTES: int('Largest accepted request header block; bigger ones get 431.', 16_384, 1024, 131_072),
  REQUEST_TIMEOUT_MS: int('Time allowed to receive a whole request.', 30_000, 1000, 600_000),
  KEEP_ALIVE_TIMEOUT_MS: int('How long an idle keep-alive connection stays open.', 5000, 100, 600_000),
  MAX_CONNECTIONS: int('Most simultaneous connections; 0 means no limit.', 0, 0, 1_000_000),
  TLS_CERT: setting(
    Type.Optional(Type.String({ minLength: 1 })),
    'Path to a PEM certificate (chain): serve HTTPS and HTTP/2 (with HTTP/1.1 fallback) directly, without a proxy. Needs TLS_KEY.',
  ),
  TLS_KEY: setting(Type.Optional(Type.String({ minLength: 1 })), 'Path to the PEM private key for TLS_CERT.'),
  HTTP_REDIRECT_PORT: setting(
    Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    'Also listen on this port with plain HTTP and answer every request with a 308 redirect to PUBLIC_URL (which must be https). Only with TLS_CERT.',
  ),
  WEB_CONCURRENCY: setting(
    Type.String({
      default: '1',
      pattern: '^(auto|[1-9][0-9]{0,2})$',
      'x-error': 'must be a number of worker processes (1–999) or auto',
    }),
    'Worker processes (node:cluster) sharing the port; auto uses every core. State kept in memory (rate limits, page cache) is per process: set REDIS_URL when this is above 1.',
  ),
  SHUTDOWN_TIMEOUT_MS: int(
    'On SIGTERM/SIGINT, how long in-flight requests may take to finish before the process exits with code 1.',
    10_000,
    100,
    600_000,
  ),
  SHUTDOWN_IDLE_GRACE_MS: int(
    'On SIGTERM/SIGINT, how long a kept-alive connection may stay idle before it is closed: a request a client or proxy has already sent on it is still answered (with Connection: close) instead of reset. Must be below SHUTDOWN_TIMEOUT_MS; unset, it is at most half of it.',
    1000,
    0,
    60_000,
  ),
  UNCAUGHT_EXCEPTION: setting(
    Type.Union([Type.Literal('shutdown'), Type.Literal('log')], { default: 'shutdown' }),
    'What an uncaught exception does: shutdown (graceful, exit 1; the process state may be corrupt) or log (count it and keep serving). Unhandled promise rejections are always logged and counted, never fatal.',
  ),
  READY_CHECK_TIMEOUT_MS: int(
    'How long each readiness check (Redis, database) may take before /ready reports it down.',
    1000,
    10,
    60_000,
  ),
  METRICS_ENABLED: bool('Expose Prometheus metrics at /metrics.', true),
  METRICS_TOKEN: setting(
    Type.Optional(Type.String({ minLength: 16, 'x-error': 'must be at least 16 characters', 'x-secret': 'value' })),
    "Bearer token required to read /metrics on the public port; it also shows /ready's per-check details to callers off this host. In production, metrics need a token or METRICS_PORT; with neither, /metrics is not served.",
  ),
  METRICS_PORT: setting(
    Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
    'Serve /metrics on this separate port (bound to METRICS_HOST) instead of the public one.',
  ),
  METRICS_HOST: setting(
    Type.String({ default: '127.0.0.1', minLength: 1 }),
    'Interface for the separate metrics port.',
  ),
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: int(
    'Answer 503 (with Retry-After) while the event loop is delayed more than this; 0 turns the check off.',
    1000,
    0,
    60_000,
  ),
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: setting(
    Type.Number({ default: 0, minimum: 0, maximum: 1 }),
    'Answer 503 while event-loop utilization is above this (0–1); 0 (the default) turns the check off. A healthy server under a saturating load runs near 1, so this sheds work it could do: the event-loop delay check is the overload signal.',
  ),
  LOAD_SHED_MAX_HEAP_USED_BYTES: int(
    'Answer 503 while the V8 heap in use is above this; 0 turns the check off.',
    0,
    0,
    Number.MAX_SAFE_INTEGER,
  ),
  CACHE_ENABLED: bool(
    'Server-side page cache: rendered public pages are kept and served without rendering again.',
    true,
  ),
  CACHE_TTL_MS: int('How long a cached page is fresh.', 10_000, 0, 86_400_000),
  CACHE_STALE_MS: int(
    'After it stops being fresh, how long a cached page is still served (at once) while it is re-rendered in the background.',
    60_000,
    0,
    86_400_000,
  ),
  CACHE_MAX_BYTES: int(
    'Memory page cache size bound (least recently used pages are dropped first). With REDIS_URL the cache lives in Redis instead, shared by every instance.',
    52_428_800,
    1_048_576,
    8_589_934_592,
  ),
  CACHE_PAGE_MAX_AGE_S: int(
    'max-age of the Cache-Control sent with public pages (browsers and CDNs).',
    60,
    0,
    31_536_000,
  ),
  CACHE_PAGE_SWR_S: int('stale-while-revalidate of the Cache-Control sent with public pages.', 600, 0, 31_536_000),
  CACHE_API_CONTROL: setting(
    Type.String({ default: 'no-cache', minLength: 1 }),
    'Cache-Control for successful JSON GET responses that set none (no-cache: always revalidate, cheap with ETags).',
  ),
  COMPRESSION_ENABLED: bool(
    'br/gzip compression of dynamic responses (hashed assets are precompressed at build time).',
    true,
  ),
  COMPRESSION_THRESHOLD_BYTES: int('Responses smaller than this are sent uncompressed.', 1024, 0, 1_048_576),
  COMPRESSION_BROTLI_QUALITY: int(
    'Brotli quality for dynamic responses (0–11; higher is smaller and slower). Cached pages are compressed once, at this quality.',
    5,
    0,
    11,
  ),
  LOAD_SHED_MAX_RSS_BYTES: int(
    'Answer 503 while resident memory is above this; 0 turns the check off.',
    0,
    0,
    Number.MAX_SAFE_INTEGER,
  ),
  // auth: sessions, passwords and sign-in limits (@composable-svelte/server/auth).
  AUTH_SESSION_IDLE_TIMEOUT_MS: int(
    'A session not used for this long expires (sliding: each use moves the deadline, never past the absolute lifetime).',
    604_800_000,
    60_000,
    31_536_000_000,
  ),
  AUTH_SESSION_ABSOLUTE_TIMEOUT_MS: int(
    'A session ends this long after sign-in however much it is used; the user signs in again.',
    2_592_000_000,
    60_000,
    31_536_000_000,
  ),
  AUTH_SESSION_TOUCH_INTERVAL_MS: int(
    "How often a session's last-seen time (and sliding expiry) is written: at most once per interval, not once per request.",
    60_000,
    1000,
    3_600_000,
  ),
  AUTH_SESSION_CACHE_TTL_MS: int(
    'How long a process keeps a looked-up session in memory (0: look up every request). Sign-outs invalidate it at once, across instances through Redis pub/sub when REDIS_URL is set; this bounds staleness while Redis is unreachable.',
    30_000,
    0,
    3_600_000,
  ),
  AUTH_PASSWORD_MIN_SCORE: int(
    'Weakest password accepted at sign-up and password change, as a zxcvbn score (0 very guessable … 4 very unguessable).',
    3,
    0,
    4,
  ),
  AUTH_ARGON2_MEMORY_KIB: int(
    'Argon2id memory per password hash, in KiB (OWASP minimum 19456). Changing it rehashes each password at its next sign-in.',
    65_536,
    19_456,
    4_194_304,
  ),
  AUTH_ARGON2_TIME_COST: int('Argon2id passes per password hash (OWASP minimum 2).', 4, 2, 100),
  AUTH_ARGON2_PARALLELISM: int('Argon2id lanes per password hash.', 1, 1, 16),
  AUTH_LOGIN_IP_MAX: int(
    'Sign-in and sign-up attempts allowed per client IP per AUTH_LOGIN_IP_WINDOW_MS (shared through Redis when REDIS_URL is set).',
    30,
    1,
    1_000_000,
  ),
  AUTH_LOGIN_IP_WINDOW_MS: int('Window of AUTH_LOGIN_IP_MAX.', 900_000, 1000, 86_400_000),
  AUTH_LOGIN_FREE_FAILURES: int(
    'Failed sign-ins an account (known or not) may have before each further attempt must wait; the wait doubles per failure.',
    5,
    1,
    1000,
  ),
  AUTH_LOGIN_BACKOFF_MAX_MS: int(
    'Longest wait the per-account back-off imposes: an attacker can slow an account down, never lock it out.',
    900_000,
    1000,
    86_400_000,
  ),
  // authTokens: bearer access tokens, refresh tokens and API keys (@composable-svelte/server/auth).
  AUTH_TOKEN_ISSUER: setting(
    Type.Optional(Type.String({ minLength: 1 })),
    'iss of the access tokens this server signs, and the only issuer it accepts. Defaults to PUBLIC_URL.',
  ),
  AUTH_TOKEN_AUDIENCE: setting(
    Type.Optional(Type.String({ minLength: 1 })),
    'aud of the access tokens this server signs, and the only audience it accepts. Defaults to PUBLIC_URL.',
  ),
  AUTH_ACCESS_TOKEN_TTL_S: int('Lifetime of an access token (an EdDSA JWT), in seconds.', 900, 60, 86_400),
  AUTH_TOKEN_CLOCK_SKEW_S: int(
    'Clock difference tolerated when checking exp and iat of an access token, in seconds.',
    30,
    0,
    300,
  ),
  AUTH_REFRESH_FAMILY_TTL_S: int(
    'Absolute lifetime of a sign-in through the token endpoint: no refresh token of it works after this many seconds.',
    2_592_000,
    300,
    31_536_000,
  ),
  AUTH_SIGNING_KEY_ROTATION_S: int(
    'How long each access-token signing key signs, in seconds. Its successor is published in the JWKS 5 minutes ahead (half the period if shorter); a retired key keeps verifying until its tokens expire.',
    604_800,
    60,
    31_536_000,
  ),
  AUTH_SIGNING_KEY_SECRET: setting(
    Type.Optional(Type.String({ minLength: 32, 'x-error': 'must be at least 32 characters', 'x-secret': 'value' })),
    'Secret that encrypts the signing keys stored in the database (AES-256-GCM). Defaults to SESSION_SECRET; every instance needs the same one. Changing it makes a new signing key at the next token. Never printed.',
  ),
  AUTH_TOKEN_SCOPES: setting(
    Type.String({
      default: 'read write',
      pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+( [\\x21\\x23-\\x5B\\x5D-\\x7E]+)*$',
      'x-error': 'must be scope names separated by single spaces (RFC 6749 scope syntax)',
    }),
    'Space-separated scopes access tokens and API keys may be granted; a request naming none gets all of them.',
  ),
  AUTH_API_KEY_PREFIX: setting(
    Type.String({
      default: 'cs_live_',
      pattern: '^[a-z][a-z0-9]{0,15}_([a-z0-9]{1,16}_)?$',
      'x-error': 'must be lowercase letters and digits ending in _ (e.g. cs_live_)',
    }),
    'Start of every API key, so a leaked key is recognisable (secret scanners) and tells itself apart from an access token.',
  ),
  OAUTH_GITHUB_CLIENT_ID: setting(
    Type.Optional(Type.String({ minLength: 1 })),
    'Client id of a GitHub OAuth app: enables sign-in at /auth/github. Register the callback $PUBLIC_URL/auth/github/callback with GitHub. Needs OAUTH_GITHUB_CLIENT_SECRET.',
  ),
  OAUTH_GITHUB_CLIENT_SECRET: setting(
    Type.Optional(Type.String({ minLength: 1, 'x-secret': 'value' })),
    'Client secret of the GitHub OAuth app.',
  ),
  OAUTH_GITHUB_AUTHORIZE_URL: setting(
    Type.String({
      default: 'https://github.com/login/oauth/authorize',
      pattern: '^https?://',
      'x-error': 'must be an http(s) URL',
    }),
    "GitHub's authorization endpoint (GitHub Enterprise Server: https://<host>/login/oauth/authorize).",
  ),
  OAUTH_GITHUB_TOKEN_URL: setting(
    Type.String({
      default: 'https://github.com/login/oauth/access_token',
      pattern: '^https?://',
      'x-error': 'must be an http(s) URL',
    }),
    "GitHub's token endpoint (GitHub Enterprise Server: https://<host>/login/oauth/access_token).",
  ),
  OAUTH_GITHUB_API_URL: setting(
    Type.String({ default: 'https://api.github.com', pattern: '^https?://', 'x-error': 'must be an http(s) URL' }),
    "GitHub's REST API, for /user and /user/emails (GitHub Enterprise Server: https://<host>/api/v3).",
  ),
  OAUTH_OIDC_ISSUER: setting(
    Type.Optional(Type.String({ pattern: '^https?://', 'x-error': 'must be an http(s) URL' })),
    'Issuer URL of an OpenID Connect provider (Keycloak, Auth0, Google, …): enables sign-in at /auth/$OAUTH_OIDC_NAME. Its endpoints and keys come from $OAUTH_OIDC_ISSUER/.well-known/openid-configuration. Needs OAUTH_OIDC_CLIENT_ID.',
  ),
  OAUTH_OIDC_CLIENT_ID: setting(
    Type.Optional(Type.String({ minLength: 1 })),
    'Client id registered with the OpenID Connect provider; ID tokens must be issued to it (aud).',
  ),
  OAUTH_OIDC_CLIENT_SECRET: setting(
    Type.Optional(Type.String({ minLength: 1, 'x-secret': 'value' })),
    'Client secret for the OpenID Connect provider; unset for a public client (PKCE alone).',
  ),
  OAUTH_OIDC_NAME: setting(
    Type.String({
      default: 'oidc',
      pattern: '^[a-z0-9][a-z0-9-]{0,31}$',
      'x-error': 'must be lowercase letters, digits and dashes (1–32)',
    }),
    'Route name of the OpenID Connect provider: /auth/<name> and /auth/<name>/callback.',
  ),
  OAUTH_OIDC_SCOPES: setting(
    Type.String({ default: 'openid email profile', pattern: '(^|\\s)openid(\\s|$)', 'x-error': 'must include openid' }),
    'Scopes asked of the OpenID Connect provider, space-separated.',
  ),
  SMTP_URL: setting(
    Type.Optional(
      Type.String({ pattern: '^smtps?://', 'x-error': 'must be an smtp:// or smtps:// URL', 'x-secret': 'url' }),
    ),
    'SMTP server for outgoing mail (verification, password reset), e.g. smtps://user:pass@smtp.example.com. Unset: mail is written as .eml files to MAIL_DIR instead.',
  ),
  MAIL_DIR: setting(
    Type.String({ default: '.data/mail', minLength: 1 }),
    'Where mail goes as .eml files when SMTP_URL is unset; in development they are listed at /_dev/mail.',
  ),
  MAIL_FROM: setting(
    Type.Optional(Type.String({ minLength: 3 })),
    'From address of outgoing mail, e.g. "Field Notes <no-reply@example.com>". Defaults to no-reply@ the PUBLIC_URL host.',
  ),
  MAIL_PER_ADDRESS_MAX: int(
    'Most verification and reset mails sent to one address per hour; requests beyond it get the same answer but send nothing.',
    5,
    1,
    1000,
  ),
  PASSWORD_RESET_TTL_MS: int('How long a password-reset link works.', 1_800_000, 60_000, 86_400_000),
  EMAIL_VERIFICATION_TTL_MS: int('How long an e-mail verification link works.', 86_400_000, 60_000, 2_592_000_000),
  // jobs: background jobs, cron and the event outbox (@composable-svelte/server/jobs, /events).
  JOBS_WORKERS: bool(
    'Whether this instance runs background jobs (false: it only enqueues them, e.g. a web-only tier).',
    true,
  ),
  JOBS_SCHEMA: setting(
    Type.String({
      default: 'pgboss',
      pattern: '^[a-z_][a-z0-9_]{0,62}$',
      'x-error': 'must be a lower-case PostgreSQL identifier',
    }),
    "PostgreSQL schema of the job queue's tables (pg-boss), in the app's database.",
  ),
  JOBS_POLL_INTERVAL_MS: int('How often an idle job worker asks the queue for work.', 1000, 500, 60_000),
  JOBS_SUPERVISE_INTERVAL_MS: int(
    'How often the queue is supervised: runs past their timeout (a worker that died) are failed for retry, and the queue counts behind jobs_queue_depth are refreshed.',
    10_000,
    1000,
    3_600_000,
  ),
  JOBS_CRON_INTERVAL_MS: int('How often cron schedules are evaluated (a tick is still sent once).', 5000, 1000, 45_000),
  EVENTS_POLL_INTERVAL_MS: int(
    'How often the event outbox is polled; a commit that emitted events also signals delivery at once.',
    5000,
    100,
    600_000,
  ),
  EVENTS_MAX_ATTEMPTS: int('Deliveries of an event whose handler fails before it is dead-lettered.', 5, 1, 100),
  EVENTS_LEASE_MS: int(
    "How long an instance's claim on an event lasts; past it (the instance died) another delivers the event.",
    60_000,
    1000,
    3_600_000,
  ),
  LIVE_MAX_SUBSCRIPTIONS: int('Live: channels one socket may have joined at once.', 50, 1, 10_000),
  LIVE_MAX_MESSAGE_BYTES: int(
    'Live: largest frame a client may send; a larger one closes the socket (1009).',
    16_384,
    256,
    16_777_216,
  ),
  LIVE_MESSAGES_PER_SECOND: int(
    'Live: frames per second one socket may send (bursts of as many); more closes it (4029).',
    50,
    1,
    100_000,
  ),
  LIVE_MAX_BUFFERED_BYTES: int(
    'Live: unsent bytes a socket may have queued; past this the client is a slow consumer and is closed (4008).',
    1_048_576,
    1024,
    1_073_741_824,
  ),
  LIVE_HEARTBEAT_MS: int(
    'Live: ping interval; a peer that has not answered by the next ping is dropped (so within twice this).',
    25_000,
    50,
    600_000,
  ),
  LIVE_AUTH_DEADLINE_MS: int(
    'Live: how long a socket opened with ?auth=token has to send its access token (else closed, 4001).',
    5000,
    50,
    120_000,
  ),
  LIVE_HISTORY_SIZE: int(
    'Live: events kept per channel so a reconnecting client gets what it missed.',
    200,
    0,
    100_000,
  ),
  LIVE_HISTORY_TTL_MS: int(
    'Live (with REDIS_URL): a channel history untouched this long is dropped (resumes then refetch).',
    86_400_000,
    1000,
    2_592_000_000,
  ),
  LIVE_PRESENCE_TTL_MS: int(
    'Live (with REDIS_URL): an instance silent this long is dead; its presence entries are removed.',
    15_000,
    300,
    600_000,
  ),
  LIVE_UPGRADES_PER_MINUTE: int(
    'Live: socket upgrades per client address per minute (429 past it); an office behind one NAT address shares it.',
    120,
    1,
    1_000_000,
  ),
  LIVE_ACK_TTL_MS: int(
    'Live: how long a pushed message id is remembered, so a retry with it runs once.',
    600_000,
    1000,
    86_400_000,
  ),
});

export type RawConfig = Static<typeof ConfigSchema>;
