import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { eventually, requireRedis } from '@composable-svelte/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildrenAfterEach, startChild } from './support/ops-child.js';

/**
 * pg and ioredis are imported when DATABASE_URL or REDIS_URL asks for them, not at every start:
 * loading them is a good part of start-up time. The production blog (on a fixture repository, so
 * the start is quick) runs with a preload that records every module it resolves.
 */
killChildrenAfterEach();

const dir = mkdtempSync(join(tmpdir(), 'cs-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recorder = pathToFileURL(new URL('./support/module-recorder.mjs', import.meta.url).pathname).href;

async function modulesLoadedBy(name: string, env: Record<string, string> = {}): Promise<string[]> {
  const file = join(dir, `${name}.txt`);
  const child = await startChild({
    env: { NODE_OPTIONS: `--import=${recorder}`, MODULE_LIST_FILE: file, ...env },
  });
  expect((await fetch(`${child.origin}/`)).status).toBe(200);
  child.kill('SIGUSR2');
  expect(await eventually(() => existsSync(file), 5000, 50)).toBe(true);
  return readFileSync(file, 'utf8').split('\n');
}

const fromPackage = (modules: string[], name: string) =>
  modules.filter((url) => url.includes(`/node_modules/${name}/`));

describe('a start without DATABASE_URL or REDIS_URL', () => {
  it('loads neither pg nor ioredis', async () => {
    const modules = await modulesLoadedBy('embedded');
    // The recording works: the server's own dependencies are in it.
    expect(fromPackage(modules, 'fastify').length).toBeGreaterThan(0);
    expect(fromPackage(modules, 'svelte').length).toBeGreaterThan(0);
    expect(fromPackage(modules, 'pg')).toEqual([]);
    expect(fromPackage(modules, 'ioredis')).toEqual([]);
  });

  it('loads ioredis once REDIS_URL is set', async (context) => {
    const redisUrl = await requireRedis();
    if (!redisUrl) return context.skip();
    const modules = await modulesLoadedBy('redis', {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `modules-test-${process.pid}:`,
    });
    expect(fromPackage(modules, 'ioredis').length).toBeGreaterThan(0);
    expect(fromPackage(modules, 'pg')).toEqual([]);
  });
});
