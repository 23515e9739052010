/**
 * The server's settings, read from the environment and validated at start-up: a bad value stops
 * the process with every problem listed, instead of surfacing as an odd failure under traffic.
 */
export interface ServerConfig {
  readonly nodeEnv: 'production' | 'development' | 'test';
  readonly host: string;
  readonly port: number;
  /** How long SSR waits for a page's effects to settle before answering 504. */
  readonly ssrTimeoutMs: number;
  /** Public origin used for canonical URLs, e.g. https://blog.example.com. */
  readonly publicUrl: string;
  readonly lang: string;
  /** Title of a page whose app head sets none: every document gets exactly one <title>. */
  readonly defaultTitle: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const NODE_ENVS = ['production', 'development', 'test'] as const;

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be an integer between ${min} and ${max}; got "${raw}"`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) problems.push(`${name} must be between ${min} and ${max}; got ${value}`);
  return value;
}

function oneOf<T extends string>(name: string, raw: string | undefined, allowed: readonly T[], fallback: T, problems: string[]): T {
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name} must be one of ${allowed.join(', ')}; got "${raw}"`);
  return fallback;
}

/** Reads the config from `env`; `overrides` win over the environment (for tests and embedding). */
export function loadServerConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<ServerConfig> = {},
): ServerConfig {
  const problems: string[] = [];
  const nodeEnv = oneOf('NODE_ENV', env.NODE_ENV, NODE_ENVS, 'development', problems);
  const port = integer('PORT', env.PORT, 3000, 0, 65535, problems);
  const host = env.HOST || (nodeEnv === 'production' ? '0.0.0.0' : '127.0.0.1');
  const ssrTimeoutMs = integer('SSR_TIMEOUT_MS', env.SSR_TIMEOUT_MS, 5000, 1, 600_000, problems);
  const logLevel = oneOf('LOG_LEVEL', env.LOG_LEVEL, LOG_LEVELS, nodeEnv === 'test' ? 'silent' : 'info', problems);
  const publicUrl = (env.PUBLIC_URL || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push(`PUBLIC_URL must be an http(s) URL; got "${publicUrl}"`);
  } catch {
    problems.push(`PUBLIC_URL must be an absolute URL; got "${publicUrl}"`);
  }
  const lang = env.LANG_DEFAULT || 'en';
  if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(lang)) problems.push(`LANG_DEFAULT must be a BCP 47 language tag; got "${lang}"`);
  if (problems.length > 0) throw new ConfigError(problems);
  return { nodeEnv, host, port, ssrTimeoutMs, publicUrl, lang, defaultTitle: env.APP_TITLE || 'Composable Svelte app', logLevel, ...overrides };
}
