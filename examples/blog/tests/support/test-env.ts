import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What most blog tests start the server with; each adds its own (NODE_ENV, the rate limits it is
 * not testing, a short poll interval…).
 */
export const TEST_ENV = {
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
  // The test drives the server from its own event loop, which is then always busy: no shedding.
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  // Accounts are made by the dozen: the cheapest Argon2id OWASP allows.
  AUTH_ARGON2_MEMORY_KIB: '19456',
  AUTH_ARGON2_TIME_COST: '2',
  // Sign-ups send verification mail: it goes to the system's temporary directory, not the working copy.
  MAIL_DIR: join(tmpdir(), 'composable-svelte-blog-test-mail'),
} as const;
