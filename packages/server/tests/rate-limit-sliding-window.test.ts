import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createRedisSlidingWindowLimiter } from '../src/security/rate-limit/redis-sliding-window.js';
import { createSlidingWindowLimiter, type HitResult } from '../src/security/rate-limit/sliding-window.js';
import { requireRedis } from './support/redis-available.js';

interface Request {
  readonly t: number;
  readonly key: string;
}

/** The specification, written as plainly as possible: allowed iff fewer than max allowed hits in (t − window, t]. */
function reference(schedule: readonly Request[], max: number, windowMs: number): HitResult[] {
  const allowedAt = new Map<string, number[]>();
  return schedule.map(({ t, key }) => {
    const inWindow = (allowedAt.get(key) ?? []).filter((s) => s > t - windowMs);
    const allowed = inWindow.length < max;
    if (allowed) {
      inWindow.push(t);
      allowedAt.set(key, [...(allowedAt.get(key) ?? []), t]);
    }
    const oldest = inWindow.length > 0 ? Math.min(...inWindow) : undefined;
    return {
      allowed,
      count: inWindow.length,
      remaining: max - inWindow.length,
      resetMs: oldest === undefined ? windowMs : oldest + windowMs - t,
    };
  });
}

/**
 * Schedules on a grid whose step divides the window, nudged by ±1 ms, so that hits land exactly
 * on, just inside and just outside the window edge of earlier hits.
 */
function scheduleArbitrary(minStep: number, maxStep: number) {
  return fc
    .record({
      max: fc.integer({ min: 0, max: 4 }),
      step: fc.integer({ min: minStep, max: maxStep }),
      stepsPerWindow: fc.integer({ min: 1, max: 5 }),
      hits: fc.array(
        fc.record({
          tick: fc.integer({ min: 0, max: 40 }),
          nudge: fc.constantFrom(-1, 0, 0, 1),
          key: fc.constantFrom('a', 'b', 'c'),
        }),
        { maxLength: 60 },
      ),
    })
    .map(({ max, step, stepsPerWindow, hits }) => {
      const base = 1_000_000;
      const schedule = hits
        .map(({ tick, nudge, key }) => ({ t: base + tick * step + nudge, key }))
        .sort((x, y) => x.t - y.t);
      return { max, windowMs: step * stepsPerWindow, schedule };
    });
}

describe('sliding-window limiter (memory)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('decides exactly like the reference model for any schedule, across window edges', () => {
    fc.assert(
      fc.property(scheduleArbitrary(2, 50), ({ max, windowMs, schedule }) => {
        let clock = 0;
        const limiter = createSlidingWindowLimiter({ max, windowMs, now: () => clock });
        try {
          const actual = schedule.map(({ t, key }) => {
            clock = t;
            return limiter.hit(key);
          });
          expect(actual).toEqual(reference(schedule, max, windowMs));
        } finally {
          limiter.close();
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never tracks more than maxKeys clients, forgetting the least recently seen first', () => {
    let clock = 0;
    const limiter = createSlidingWindowLimiter({ max: 1, windowMs: 60_000, now: () => clock, maxKeys: 3 });
    try {
      for (const key of ['a', 'b', 'c']) limiter.hit(key);
      clock += 1;
      expect(limiter.hit('a').allowed).toBe(false); // a is now the most recently seen
      for (let i = 0; i < 1000; i++) limiter.hit(`spoofed-${i}`);
      expect(limiter.size).toBe(3);
      expect(limiter.hit('a').allowed).toBe(true); // evicted by the flood, so forgotten
    } finally {
      limiter.close();
    }
  });

  it('drops idle clients on its own once their hits leave the window, and close() stops the timer', () => {
    vi.useFakeTimers();
    const limiter = createSlidingWindowLimiter({ max: 5, windowMs: 1000, now: () => Date.now() });
    limiter.hit('early');
    vi.advanceTimersByTime(400);
    limiter.hit('late');
    expect(limiter.size).toBe(2);
    vi.advanceTimersByTime(600); // sweep at 1000 ms: 'early' (0 ms) has just left the window
    expect(limiter.size).toBe(1);
    vi.advanceTimersByTime(1000); // sweep at 2000 ms: 'late' (400 ms) is gone too
    expect(limiter.size).toBe(0);
    expect(vi.getTimerCount()).toBe(1);
    limiter.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects limits that cannot be enforced', () => {
    expect(() => createSlidingWindowLimiter({ max: 1.5, windowMs: 1000 })).toThrow(/max must be an integer/);
    expect(() => createSlidingWindowLimiter({ max: 1, windowMs: 0 })).toThrow(/windowMs must be a positive number/);
    expect(() => createSlidingWindowLimiter({ max: 1, windowMs: 1000, maxKeys: 0 })).toThrow(/maxKeys/);
  });
});

const redisUrl = await requireRedis();

describe.skipIf(!redisUrl)('sliding-window limiter (Redis)', () => {
  const client = new Redis(redisUrl ?? '', { lazyConnect: !redisUrl, maxRetriesPerRequest: 1 });
  const prefix = `cs:test:sw:${randomUUID()}:`;

  afterAll(async () => {
    if (!redisUrl) return;
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await client.quit();
  });

  it('decides exactly like the reference model, atomically in Redis', async () => {
    // Steps of ≥ 200 ms make windows of ≥ 200 ms: Redis expires keys on its real clock, so an
    // injected window must outlast the few milliseconds a run really takes.
    await fc.assert(
      fc.asyncProperty(scheduleArbitrary(200, 2000), async ({ max, windowMs, schedule }) => {
        let clock = 0;
        const limiter = createRedisSlidingWindowLimiter({
          client,
          max,
          windowMs,
          keyPrefix: `${prefix}${randomUUID()}:`,
          now: () => clock,
        });
        const actual: HitResult[] = [];
        for (const { t, key } of schedule) {
          clock = t;
          actual.push(await limiter.hit(key));
        }
        expect(actual).toEqual(reference(schedule, max, windowMs));
      }),
      { numRuns: 30 },
    );
  });

  it('uses Redis server time when no clock is injected', async () => {
    const limiter = createRedisSlidingWindowLimiter({ client, max: 2, windowMs: 10_000, keyPrefix: `${prefix}time:` });
    expect((await limiter.hit('k')).allowed).toBe(true);
    expect((await limiter.hit('k')).allowed).toBe(true);
    const refused = await limiter.hit('k');
    expect(refused.allowed).toBe(false);
    expect(refused.remaining).toBe(0);
    expect(refused.resetMs).toBeGreaterThan(9000);
    expect(refused.resetMs).toBeLessThanOrEqual(10_000);
  });
});
