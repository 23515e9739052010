import type { RateLimitEvent } from './events.js';

interface Log {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/**
 * Tracks whether the limiter's store answers. Reports only state changes: during an outage every
 * request fails, and one log line per request would bury everything else.
 */
export interface BackendMonitor {
  failed(route: string, error: unknown): void;
  succeeded(route: string): void;
  readonly down: boolean;
}

/** Calls the metrics hook without letting a faulty one break (or hang) the request. */
export function safeEmitter(
  log: Log,
  onEvent: ((event: RateLimitEvent) => void) | undefined,
): (event: RateLimitEvent) => void {
  return (event) => {
    if (!onEvent) return;
    try {
      onEvent(event);
    } catch (error) {
      log.error({ err: error, event: event.type }, 'rate limit onEvent hook threw');
    }
  };
}

export function createBackendMonitor(
  log: Log,
  emit: (event: RateLimitEvent) => void,
  policy: 'open' | 'closed',
): BackendMonitor {
  let down = false;
  return {
    get down() {
      return down;
    },
    failed(route, error) {
      if (down) return;
      down = true;
      const consequence = policy === 'open' ? 'requests pass unlimited' : 'requests are refused with 503';
      log.warn({ err: error, route }, `rate limit store unavailable; ${consequence} until it recovers`);
      emit({ type: 'backend-error', route });
    },
    succeeded(route) {
      if (!down) return;
      down = false;
      log.info({ route }, 'rate limit store recovered; limiting resumed');
      emit({ type: 'backend-recovered', route });
    },
  };
}
