import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseEnv } from 'node:util';
import type { TObject, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { redactUrl } from '../observability/logger.js';
import type { LiveLimits } from '../live/runtime.js';
import { ConfigSchema, type RawConfig } from './schema.js';

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export type TrustProxy = boolean | number | string[];

/** The validated settings, in the shape the server uses. */
export interface ServerConfig {
  readonly preset: 'production' | 'off';
  readonly nodeEnv: RawConfig['NODE_ENV'];
  readonly host: string;
  readonly port: number;
  readonly publicUrl: string;
  readonly logLevel: RawConfig['LOG_LEVEL'];
  readonly lang: string;
  readonly defaultTitle: string;
  readonly ssrTimeoutMs: number;
  readonly trustProxy: TrustProxy;
  readonly requestIdHeader: string | undefined;
  readonly sessionSecret: string;
  readonly redisUrl: string | undefined;
  readonly redisKeyPrefix: string;
  readonly databaseUrl: string | undefined;
  readonly databaseDir: string;
  readonly databasePoolMax: number;
  readonly databaseStatementTimeoutMs: number;
  readonly databaseIdleTimeoutMs: number;
  readonly databaseSlowQueryMs: number;
  readonly rateLimit: {
    readonly enabled: boolean;
    readonly max: number;
    readonly windowMs: number;
    readonly formMax: number;
    readonly onRedisError: 'open' | 'closed';
  };
  readonly cors: { readonly origins: readonly string[]; readonly credentials: boolean };
  readonly hstsPreload: boolean;
  readonly coep: 'require-corp' | 'credentialless';
  readonly limits: {
    readonly bodyBytes: number;
    readonly uriLength: number;
    readonly headerBytes: number;
    readonly requestTimeoutMs: number;
    readonly keepAliveTimeoutMs: number;
    readonly maxConnections: number;
  };
  readonly shutdownTimeoutMs: number;
  readonly shutdownIdleGraceMs: number;
  readonly uncaughtException: 'shutdown' | 'log';
  readonly readyCheckTimeoutMs: number;
  readonly metrics: {
    readonly enabled: boolean;
    readonly token: string | undefined;
    readonly port: number | undefined;
    readonly host: string;
  };
  readonly loadShedding: {
    readonly maxEventLoopDelayMs: number;
    readonly maxEventLoopUtilization: number;
    readonly maxHeapUsedBytes: number;
    readonly maxRssBytes: number;
  };
  readonly tls: { readonly certPath: string; readonly keyPath: string } | undefined;
  readonly httpRedirectPort: number | undefined;
  /** Worker processes; 1 means no cluster. */
  readonly workers: number;
  readonly cache: {
    readonly enabled: boolean;
    readonly ttlMs: number;
    readonly staleMs: number;
    readonly maxBytes: number;
    readonly pageMaxAgeS: number;
    readonly pageSwrS: number;
    readonly apiControl: string;
  };
  readonly compression: { readonly enabled: boolean; readonly thresholdBytes: number; readonly brotliQuality: number };
  readonly auth: {
    readonly sessionIdleMs: number;
    readonly sessionAbsoluteMs: number;
    readonly sessionTouchMs: number;
    readonly sessionCacheTtlMs: number;
    readonly passwordMinScore: number;
    readonly argon2: { readonly memoryKib: number; readonly timeCost: number; readonly parallelism: number };
    readonly loginIpMax: number;
    readonly loginIpWindowMs: number;
    readonly loginFreeFailures: number;
    readonly loginBackoffMaxMs: number;
  };
  /** Bearer access tokens, refresh tokens and API keys (the `authTokens` plugin of `/auth`). */
  readonly authTokens: {
    readonly issuer: string;
    readonly audience: string;
    readonly accessTokenTtlS: number;
    readonly clockSkewS: number;
    readonly refreshFamilyTtlS: number;
    readonly signingKeyRotationS: number;
    readonly signingKeySecret: string;
    readonly scopes: readonly string[];
    readonly apiKeyPrefix: string;
  };
  /** Sign-in providers; a provider is present only when its client is configured. */
  readonly oauth: {
    readonly github:
      | {
          readonly clientId: string;
          readonly clientSecret: string;
          readonly authorizeUrl: string;
          readonly tokenUrl: string;
          readonly apiUrl: string;
        }
      | undefined;
    readonly oidc:
      | {
          readonly name: string;
          readonly issuer: string;
          readonly clientId: string;
          readonly clientSecret: string | undefined;
          readonly scopes: readonly string[];
        }
      | undefined;
  };
  readonly mail: {
    readonly smtpUrl: string | undefined;
    readonly dir: string;
    readonly from: string;
    readonly perAddressMax: number;
    readonly resetTtlMs: number;
    readonly verificationTtlMs: number;
  };
  /** Background work: `createJobs()` and `createEvents()` take these through `jobsSettings(config)` / `eventsSettings(config)`. */
  readonly jobs: {
    readonly workers: boolean;
    readonly schema: string;
    readonly pollIntervalMs: number;
    readonly superviseIntervalMs: number;
    readonly cronIntervalMs: number;
    readonly eventsPollIntervalMs: number;
    readonly eventsMaxAttempts: number;
    readonly eventsLeaseMs: number;
  };
  /** Protections the configuration turned off and risky choices, logged at start-up. */
  readonly warnings: readonly string[];
  readonly live: LiveLimits;
  /** The app's own variables, validated from its `defineApp({ env })` schema (typed through `AppEnv`). */
  readonly app: AppEnv;
}

/**
 * The app's variables as `fastify.config.app` sees them. An app types it from its schema:
 * `declare module '@composable-svelte/server' { interface AppEnv extends Static<typeof env> {} }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by the app's declaration merging
export interface AppEnv {}

type EnvInput = Record<string, string | undefined>;
const ENVS = ['production', 'development', 'test'] as const;

/** Schema errors in words an operator can act on. */
function describeError(
  schema: { anyOf?: { const?: unknown }[]; 'x-error'?: string; type?: string; minimum?: number; maximum?: number },
  fallback: string,
): string {
  if (schema['x-error']) return schema['x-error'];
  if (schema.type === 'integer') return `must be an integer from ${schema.minimum} to ${schema.maximum}`;
  if (schema.type === 'boolean') return 'must be true or false';
  if (schema.type === 'number') return `must be a number from ${schema.minimum} to ${schema.maximum}`;
  if (schema.anyOf?.every((option) => option.const !== undefined)) {
    return `must be one of ${schema.anyOf.map((option) => String(option.const)).join(', ')}`;
  }
  return fallback.replace(/^Expected /, 'must be ');
}

/**
 * What a problem message says the value was. Secrets are described, never shown: a secret by its
 * length, a connection URL without its password and secret query values (or not at all when
 * it does not parse, since then nothing says where the password is).
 */
function shownValue(schema: TObject, key: string, value: unknown): string {
  const secret = (schema.properties as Record<string, { 'x-secret'?: 'value' | 'url' }>)[key]?.['x-secret'];
  if (secret === undefined || typeof value !== 'string') return JSON.stringify(value);
  if (secret === 'value') return `a value of ${value.length} characters (not shown: it is a secret)`;
  const url = URL.parse(value);
  if (!url) return 'a value that is not a URL (not shown: it may hold a password)';
  return JSON.stringify(redactUrl(url.href));
}

/** Reads KEY=value lines from a .env file; variables already in the environment win. */
export function readEnvFile(path: string): EnvInput {
  return existsSync(path) ? (parseEnv(readFileSync(path, 'utf8')) as EnvInput) : {};
}

function parseTrustProxy(raw: string, problems: string[]): TrustProxy {
  const value = raw.trim();
  if (value === 'false' || value === '') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const address = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F]*:[0-9a-fA-F:]*)(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/;
  const bad = entries.filter((entry) => !address.test(entry));
  if (bad.length > 0) problems.push(`TRUST_PROXY: not an address, CIDR, hop count or boolean: ${bad.join(', ')}`);
  return entries;
}

function parseOrigins(raw: string, problems: string[]): string[] {
  const origins = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    let valid: boolean;
    try {
      const url = new URL(origin);
      valid = (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === origin && !origin.includes('*');
    } catch {
      valid = false;
    }
    if (!valid)
      problems.push(
        `CORS_ORIGINS: "${origin}" is not an origin like https://app.example.com (no path, no trailing slash, no wildcard)`,
      );
  }
  return origins;
}

/**
 * Validates the environment against the schema and reports every problem at once. Values in
 * `overrides` (for embedding and tests) win over the environment.
 */
export function loadServerConfig(
  env: EnvInput = process.env,
  overrides: Partial<ServerConfig> = {},
  appEnv?: TObject,
): ServerConfig {
  const problems: string[] = [];
  const nodeEnv = ENVS.find((candidate) => candidate === env.NODE_ENV) ?? 'development';
  const raw = readSchema(ConfigSchema, env, nodeEnv, problems) as RawConfig;
  const app = appEnv ? readAppEnv(appEnv, env, nodeEnv, problems) : {};
  for (const key of ['REDIS_URL', 'DATABASE_URL', 'SMTP_URL'] as const) {
    const url = raw[key];
    // The clients would fail later, and some print the URL they could not parse, password included.
    const reported = problems.some((problem) => problem.startsWith(`${key}:`));
    if (url !== undefined && !reported && !URL.canParse(url))
      problems.push(`${key}: must be a valid URL; got ${shownValue(ConfigSchema, key, url)}`);
  }

  const trustProxy = parseTrustProxy(String(raw.TRUST_PROXY ?? 'false'), problems);
  const origins = parseOrigins(String(raw.CORS_ORIGINS ?? ''), problems);
  if (raw.CORS_CREDENTIALS && origins.length === 0) problems.push('CORS_CREDENTIALS=true needs explicit CORS_ORIGINS');
  if (Boolean(raw.TLS_CERT) !== Boolean(raw.TLS_KEY)) problems.push('TLS_CERT and TLS_KEY: set both or neither');
  for (const [name, path] of [
    ['TLS_CERT', raw.TLS_CERT],
    ['TLS_KEY', raw.TLS_KEY],
  ] as const) {
    if (!path) continue;
    if (!existsSync(path)) problems.push(`${name}: no file at ${path}`);
    else if (!statSync(path).isFile()) problems.push(`${name}: ${path} is not a file`);
    else {
      try {
        if (!readFileSync(path, 'utf8').includes('-----BEGIN ')) problems.push(`${name}: ${path} is not a PEM file`);
      } catch (error) {
        problems.push(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      }
    }
  }
  if (raw.HTTP_REDIRECT_PORT !== undefined && raw.HTTP_REDIRECT_PORT === raw.PORT)
    problems.push('HTTP_REDIRECT_PORT: must differ from PORT');
  if (raw.HTTP_REDIRECT_PORT !== undefined) {
    if (!raw.TLS_CERT)
      problems.push(
        'HTTP_REDIRECT_PORT: only makes sense with TLS_CERT/TLS_KEY (this server would not be serving HTTPS)',
      );
    if (!raw.PUBLIC_URL?.startsWith('https://'))
      problems.push('HTTP_REDIRECT_PORT: PUBLIC_URL must be the https:// address to redirect to');
  }
  const idleGraceSet = env.SHUTDOWN_IDLE_GRACE_MS !== undefined && env.SHUTDOWN_IDLE_GRACE_MS !== '';
  if (idleGraceSet && raw.SHUTDOWN_IDLE_GRACE_MS >= raw.SHUTDOWN_TIMEOUT_MS)
    problems.push(
      'SHUTDOWN_IDLE_GRACE_MS: must be below SHUTDOWN_TIMEOUT_MS, or idle connections outlast the shutdown',
    );
  if (Boolean(raw.OAUTH_GITHUB_CLIENT_ID) !== Boolean(raw.OAUTH_GITHUB_CLIENT_SECRET))
    problems.push('OAUTH_GITHUB_CLIENT_ID and OAUTH_GITHUB_CLIENT_SECRET: set both or neither');
  if (Boolean(raw.OAUTH_OIDC_ISSUER) !== Boolean(raw.OAUTH_OIDC_CLIENT_ID))
    problems.push('OAUTH_OIDC_ISSUER and OAUTH_OIDC_CLIENT_ID: set both or neither');
  if (raw.OAUTH_OIDC_NAME === 'github' && raw.OAUTH_OIDC_ISSUER && raw.OAUTH_GITHUB_CLIENT_ID)
    problems.push('OAUTH_OIDC_NAME: github is the GitHub provider; name the OpenID Connect provider differently');
  let sessionSecret = raw.SESSION_SECRET;
  if (!sessionSecret) {
    if (nodeEnv === 'production')
      problems.push('SESSION_SECRET: required in production (at least 32 characters, e.g. `openssl rand -base64 48`)');
    sessionSecret = randomBytes(32).toString('base64url');
  }
  if (problems.length > 0) {
    // Reported in the schema's order, whichever check found them.
    const order = [...Object.keys(ConfigSchema.properties), ...Object.keys(appEnv?.properties ?? {})];
    const rank = (problem: string) => {
      const index = order.indexOf(problem.split(/[:=\s]/)[0]!);
      return index === -1 ? order.length : index;
    };
    throw new ConfigError([...problems].sort((a, b) => rank(a) - rank(b)));
  }

  const publicUrl = (raw.PUBLIC_URL ?? `http://localhost:${raw.PORT}`).replace(/\/+$/, '');
  const warnings: string[] = [];
  if (raw.PRESET === 'off')
    warnings.push(
      'PRESET=off: security headers, CSRF, rate limiting, compression, load shedding, metrics and request logs are all OFF',
    );
  if (!raw.RATE_LIMIT_ENABLED) warnings.push('rate limiting is off (RATE_LIMIT_ENABLED=false)');
  if (trustProxy === true && nodeEnv === 'production')
    warnings.push('TRUST_PROXY=true trusts any X-Forwarded-For: only safe behind a proxy that always overwrites it');
  if (!raw.PUBLIC_URL && nodeEnv === 'production')
    warnings.push(`PUBLIC_URL is not set: canonical URLs and the CSRF origin check use http://localhost:${raw.PORT}`);
  if (raw.METRICS_ENABLED && nodeEnv === 'production' && !raw.METRICS_TOKEN && raw.METRICS_PORT === undefined) {
    warnings.push('/metrics is not served: in production set METRICS_TOKEN or METRICS_PORT to expose it');
  }
  if (!raw.SESSION_SECRET)
    warnings.push('SESSION_SECRET is not set: a random one is used, so CSRF tokens stop working after a restart');

  return {
    preset: raw.PRESET,
    nodeEnv,
    host: raw.HOST,
    port: raw.PORT,
    publicUrl,
    logLevel: raw.LOG_LEVEL,
    lang: raw.LANG_DEFAULT,
    defaultTitle: raw.APP_TITLE,
    ssrTimeoutMs: raw.SSR_TIMEOUT_MS,
    trustProxy,
    requestIdHeader: raw.REQUEST_ID_HEADER?.toLowerCase(),
    sessionSecret,
    redisUrl: raw.REDIS_URL,
    redisKeyPrefix: raw.REDIS_KEY_PREFIX,
    databaseUrl: raw.DATABASE_URL,
    databaseDir: raw.DATABASE_DIR,
    databasePoolMax: raw.DATABASE_POOL_MAX,
    databaseStatementTimeoutMs: raw.DATABASE_STATEMENT_TIMEOUT_MS,
    databaseIdleTimeoutMs: raw.DATABASE_IDLE_TIMEOUT_MS,
    databaseSlowQueryMs: raw.DATABASE_SLOW_QUERY_MS,
    rateLimit: {
      enabled: raw.RATE_LIMIT_ENABLED,
      max: raw.RATE_LIMIT_MAX,
      windowMs: raw.RATE_LIMIT_WINDOW_MS,
      formMax: raw.RATE_LIMIT_FORM_MAX,
      onRedisError: raw.RATE_LIMIT_ON_REDIS_ERROR,
    },
    cors: { origins, credentials: raw.CORS_CREDENTIALS },
    hstsPreload: raw.HSTS_PRELOAD,
    coep: raw.COEP,
    limits: {
      bodyBytes: raw.BODY_LIMIT_BYTES,
      uriLength: raw.MAX_URI_LENGTH,
      headerBytes: raw.MAX_HEADER_BYTES,
      requestTimeoutMs: raw.REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: raw.KEEP_ALIVE_TIMEOUT_MS,
      maxConnections: raw.MAX_CONNECTIONS,
    },
    shutdownTimeoutMs: raw.SHUTDOWN_TIMEOUT_MS,
    // Unset, it leaves at least half of a short SHUTDOWN_TIMEOUT_MS to the requests themselves.
    shutdownIdleGraceMs: idleGraceSet
      ? raw.SHUTDOWN_IDLE_GRACE_MS
      : Math.min(raw.SHUTDOWN_IDLE_GRACE_MS, Math.floor(raw.SHUTDOWN_TIMEOUT_MS / 2)),
    uncaughtException: raw.UNCAUGHT_EXCEPTION,
    readyCheckTimeoutMs: raw.READY_CHECK_TIMEOUT_MS,
    metrics: { enabled: raw.METRICS_ENABLED, token: raw.METRICS_TOKEN, port: raw.METRICS_PORT, host: raw.METRICS_HOST },
    loadShedding: {
      maxEventLoopDelayMs: raw.LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: raw.LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION,
      maxHeapUsedBytes: raw.LOAD_SHED_MAX_HEAP_USED_BYTES,
      maxRssBytes: raw.LOAD_SHED_MAX_RSS_BYTES,
    },
    tls: raw.TLS_CERT && raw.TLS_KEY ? { certPath: raw.TLS_CERT, keyPath: raw.TLS_KEY } : undefined,
    httpRedirectPort: raw.HTTP_REDIRECT_PORT,
    workers: raw.WEB_CONCURRENCY === 'auto' ? availableParallelism() : Number(raw.WEB_CONCURRENCY),
    cache: {
      enabled: raw.CACHE_ENABLED,
      ttlMs: raw.CACHE_TTL_MS,
      staleMs: raw.CACHE_STALE_MS,
      maxBytes: raw.CACHE_MAX_BYTES,
      pageMaxAgeS: raw.CACHE_PAGE_MAX_AGE_S,
      pageSwrS: raw.CACHE_PAGE_SWR_S,
      apiControl: raw.CACHE_API_CONTROL,
    },
    compression: {
      enabled: raw.COMPRESSION_ENABLED,
      thresholdBytes: raw.COMPRESSION_THRESHOLD_BYTES,
      brotliQuality: raw.COMPRESSION_BROTLI_QUALITY,
    },
    auth: {
      sessionIdleMs: raw.AUTH_SESSION_IDLE_TIMEOUT_MS,
      sessionAbsoluteMs: raw.AUTH_SESSION_ABSOLUTE_TIMEOUT_MS,
      sessionTouchMs: raw.AUTH_SESSION_TOUCH_INTERVAL_MS,
      sessionCacheTtlMs: raw.AUTH_SESSION_CACHE_TTL_MS,
      passwordMinScore: raw.AUTH_PASSWORD_MIN_SCORE,
      argon2: {
        memoryKib: raw.AUTH_ARGON2_MEMORY_KIB,
        timeCost: raw.AUTH_ARGON2_TIME_COST,
        parallelism: raw.AUTH_ARGON2_PARALLELISM,
      },
      loginIpMax: raw.AUTH_LOGIN_IP_MAX,
      loginIpWindowMs: raw.AUTH_LOGIN_IP_WINDOW_MS,
      loginFreeFailures: raw.AUTH_LOGIN_FREE_FAILURES,
      loginBackoffMaxMs: raw.AUTH_LOGIN_BACKOFF_MAX_MS,
    },
    authTokens: {
      issuer: raw.AUTH_TOKEN_ISSUER ?? publicUrl,
      audience: raw.AUTH_TOKEN_AUDIENCE ?? publicUrl,
      accessTokenTtlS: raw.AUTH_ACCESS_TOKEN_TTL_S,
      clockSkewS: raw.AUTH_TOKEN_CLOCK_SKEW_S,
      refreshFamilyTtlS: raw.AUTH_REFRESH_FAMILY_TTL_S,
      signingKeyRotationS: raw.AUTH_SIGNING_KEY_ROTATION_S,
      signingKeySecret: raw.AUTH_SIGNING_KEY_SECRET ?? sessionSecret,
      scopes: raw.AUTH_TOKEN_SCOPES.split(' '),
      apiKeyPrefix: raw.AUTH_API_KEY_PREFIX,
    },
    oauth: {
      github:
        raw.OAUTH_GITHUB_CLIENT_ID && raw.OAUTH_GITHUB_CLIENT_SECRET
          ? {
              clientId: raw.OAUTH_GITHUB_CLIENT_ID,
              clientSecret: raw.OAUTH_GITHUB_CLIENT_SECRET,
              authorizeUrl: raw.OAUTH_GITHUB_AUTHORIZE_URL,
              tokenUrl: raw.OAUTH_GITHUB_TOKEN_URL,
              apiUrl: raw.OAUTH_GITHUB_API_URL.replace(/\/+$/, ''),
            }
          : undefined,
      oidc:
        raw.OAUTH_OIDC_ISSUER && raw.OAUTH_OIDC_CLIENT_ID
          ? {
              name: raw.OAUTH_OIDC_NAME,
              issuer: raw.OAUTH_OIDC_ISSUER,
              clientId: raw.OAUTH_OIDC_CLIENT_ID,
              clientSecret: raw.OAUTH_OIDC_CLIENT_SECRET,
              scopes: raw.OAUTH_OIDC_SCOPES.split(/\s+/).filter(Boolean),
            }
          : undefined,
    },
    mail: {
      smtpUrl: raw.SMTP_URL,
      dir: raw.MAIL_DIR,
      from: raw.MAIL_FROM ?? `no-reply@${new URL(publicUrl).hostname}`,
      perAddressMax: raw.MAIL_PER_ADDRESS_MAX,
      resetTtlMs: raw.PASSWORD_RESET_TTL_MS,
      verificationTtlMs: raw.EMAIL_VERIFICATION_TTL_MS,
    },
    jobs: {
      workers: raw.JOBS_WORKERS,
      schema: raw.JOBS_SCHEMA,
      pollIntervalMs: raw.JOBS_POLL_INTERVAL_MS,
      superviseIntervalMs: raw.JOBS_SUPERVISE_INTERVAL_MS,
      cronIntervalMs: raw.JOBS_CRON_INTERVAL_MS,
      eventsPollIntervalMs: raw.EVENTS_POLL_INTERVAL_MS,
      eventsMaxAttempts: raw.EVENTS_MAX_ATTEMPTS,
      eventsLeaseMs: raw.EVENTS_LEASE_MS,
    },
    warnings,
    live: {
      maxSubscriptions: raw.LIVE_MAX_SUBSCRIPTIONS,
      maxMessageBytes: raw.LIVE_MAX_MESSAGE_BYTES,
      messagesPerSecond: raw.LIVE_MESSAGES_PER_SECOND,
      maxBufferedBytes: raw.LIVE_MAX_BUFFERED_BYTES,
      heartbeatMs: raw.LIVE_HEARTBEAT_MS,
      authDeadlineMs: raw.LIVE_AUTH_DEADLINE_MS,
      historySize: raw.LIVE_HISTORY_SIZE,
      historyTtlMs: raw.LIVE_HISTORY_TTL_MS,
      presenceTtlMs: raw.LIVE_PRESENCE_TTL_MS,
      upgradesPerMinute: raw.LIVE_UPGRADES_PER_MINUTE,
      ackTtlMs: raw.LIVE_ACK_TTL_MS,
    },
    app: app as AppEnv,
    ...overrides,
  };
}

/**
 * One schema's variables from the environment: its per-NODE_ENV defaults applied, converted, and
 * every problem pushed to `problems` (secrets described, never shown).
 */
function readSchema(
  schema: TObject,
  env: EnvInput,
  nodeEnv: RawConfig['NODE_ENV'],
  problems: string[],
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const raw = env[key];
    if (raw !== undefined && raw !== '') {
      // TypeBox's conversion would read "8e3" as 8 and "true" as 1: numbers must look like numbers.
      const type = (property as { type?: string }).type;
      if (
        (type === 'integer' && !/^-?\d+$/.test(raw.trim())) ||
        (type === 'number' && !/^-?\d+(\.\d+)?$/.test(raw.trim()))
      ) {
        problems.push(
          `${key}: ${describeError(property as Parameters<typeof describeError>[0], '')}; got ${shownValue(schema, key, raw)}`,
        );
        continue;
      }
      input[key] = raw;
      continue;
    }
    const perEnv = (property as { 'x-env-defaults'?: Record<string, unknown> })['x-env-defaults'] ?? {};
    if (nodeEnv in perEnv) input[key] = perEnv[nodeEnv];
  }
  const converted = Value.Default(schema, Value.Convert(schema, input)) as Record<string, unknown>;
  const reported = new Set<string>();
  for (const error of Value.Errors(schema, converted)) {
    const key = error.path.replace(/^\//, '').split('/')[0]!;
    // One problem per variable: a missing one would otherwise also fail its type check.
    if (reported.has(key)) continue;
    reported.add(key);
    const got = env[key] ?? input[key];
    problems.push(
      got === undefined
        ? `${key}: required, not set`
        : `${key}: ${describeError(error.schema as Parameters<typeof describeError>[0], error.message)}; got ${shownValue(schema, key, got)}`,
    );
  }
  return converted;
}

/** The app's own variables (`defineApp({ env })`), validated with the server's and in the same list. */
function readAppEnv(
  appEnv: TObject,
  env: EnvInput,
  nodeEnv: RawConfig['NODE_ENV'],
  problems: string[],
): Record<string, unknown> {
  for (const key of Object.keys(appEnv.properties)) {
    if (key in ConfigSchema.properties)
      problems.push(`${key}: declared by the app's env schema but it is a server variable; rename the app's`);
  }
  return readSchema(appEnv, env, nodeEnv, problems);
}
