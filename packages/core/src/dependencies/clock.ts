/**
 * Time as a dependency. Timed effects (afterDelay, debounced, throttled) run on the store's `clock`
 * dependency: the system clock in apps, a mock clock in the TestStore, so tests drive time exactly.
 */
export type TimerHandle = unknown;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface MockClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due, in due order. */
  advance(ms: number): void;
  /** Due time of the earliest pending timer, or undefined when none is pending. */
  nextTimerAt(): number | undefined;
  /** How many timers are pending. */
  pendingTimers(): number;
}

export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
  };
}

interface MockTimer {
  readonly id: number;
  readonly dueAt: number;
  readonly callback: () => void;
}

export function createMockClock(options: { now?: number } = {}): MockClock {
  let now = options.now ?? 0;
  let nextId = 1;
  // Kept sorted by (dueAt, id) so equal due times fire in scheduling order, as real timers do.
  let timers: MockTimer[] = [];

  const insert = (timer: MockTimer) => {
    let index = timers.length;
    while (index > 0 && timers[index - 1]!.dueAt > timer.dueAt) index--;
    timers.splice(index, 0, timer);
  };

  return {
    now: () => now,
    setTimeout(callback, ms) {
      const delay = Number.isFinite(ms) && ms > 0 ? ms : 0;
      const timer = { id: nextId++, dueAt: now + delay, callback };
      insert(timer);
      return timer.id;
    },
    clearTimeout(handle) {
      timers = timers.filter((timer) => timer.id !== handle);
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`MockClock.advance(ms) needs a finite, non-negative number; got ${ms}`);
      }
      const target = now + ms;
      // Timers scheduled by a firing timer are honoured if they fall due before the target.
      while (timers.length > 0 && timers[0]!.dueAt <= target) {
        const timer = timers.shift()!;
        now = timer.dueAt;
        timer.callback();
      }
      now = target;
    },
    nextTimerAt: () => timers[0]?.dueAt,
    pendingTimers: () => timers.length,
  };
}

export function isMockClock(clock: unknown): clock is MockClock {
  return (
    typeof clock === 'object' &&
    clock !== null &&
    typeof (clock as MockClock).advance === 'function' &&
    typeof (clock as MockClock).nextTimerAt === 'function'
  );
}
