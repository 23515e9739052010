import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { eventually, requireRedis } from '@composable-svelte/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { killChildrenAfterEach, startChild } from './support/ops-child.js';

/**
 * The database layer imports pg and the stores import ioredis when DATABASE_URL or REDIS_URL asks
 * for them, and the jobs service imports pg-boss when it is created, not at every start: loading
 * them is a good part of start-up time. So is everything only a blog on its database uses
 * (accounts, PGlite, mail, uploads, live comments: blog-on-database.ts) and the rate limiter when it
 * is off; the framework's dependencies come bundled in the build's chunks, not file by file from
 * node_modules. The production blog (on a fixture repository, so the start is quick) runs with a
 * preload that records every module it resolves and the module that imported it; a chunk of the
 * build stands for the modules its source map lists.
 */
killChildrenAfterEach();

const dir = mkdtempSync(join(tmpdir(), 'cs-modules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recorder = pathToFileURL(new URL('./support/module-recorder.mjs', import.meta.url).pathname).href;

interface Loaded {
  readonly url: string;
  readonly parent: string;
  /** In a chunk of the build (listed by its source map), not loaded from its own file. */
  readonly bundled: boolean;
}

const builtServer = pathToFileURL(fileURLToPath(new URL('../dist/server/', import.meta.url))).href;

/** The modules a loaded chunk of the build holds, from its source map. */
function chunkModules(chunk: string): Loaded[] {
  const map = `${fileURLToPath(chunk)}.map`;
  if (!existsSync(map)) return [];
  const { sources } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[] };
  return sources.map((source) => ({ url: new URL(source, chunk).href, parent: chunk, bundled: true }));
}

async function modulesLoadedBy(
  name: string,
  env: Record<string, string> = {},
  { firstPage = true }: { firstPage?: boolean } = {},
): Promise<Loaded[]> {
  const file = join(dir, `${name}.txt`);
  const child = await startChild({
    env: { NODE_OPTIONS: `--import=${recorder}`, MODULE_LIST_FILE: file, ...env },
  });
  if (firstPage) expect((await fetch(`${child.origin}/`)).status).toBe(200);
  child.kill('SIGUSR2');
  expect(await eventually(() => existsSync(file), 5000, 50)).toBe(true);
  const files = readFileSync(file, 'utf8')
    .split('\n')
    .map((line): Loaded => {
      const [url = '', parent = ''] = line.split('\t');
      return { url, parent, bundled: false };
    });
  return [...files, ...files.filter(({ url }) => url.startsWith(builtServer)).flatMap(({ url }) => chunkModules(url))];
}

const inPackage = (url: string, name: string) => url.includes(`/node_modules/${name}/`);
const fromPackage = (modules: readonly Loaded[], name: string) => modules.filter(({ url }) => inPackage(url, name));
const filesOfPackage = (modules: readonly Loaded[], name: string) =>
  fromPackage(modules, name).filter(({ bundled }) => !bundled);
/** The modules outside `name` that imported it. */
const importersOf = (modules: readonly Loaded[], name: string) => [
  ...new Set(fromPackage(modules, name).flatMap(({ parent }) => (inPackage(parent, name) ? [] : [parent]))),
];

describe('a start without DATABASE_URL or REDIS_URL', () => {
  it('loads no ioredis, no job queue and no pg', async () => {
    const modules = await modulesLoadedBy('embedded');
    // The recording works: the server's own dependencies are in it.
    expect(fromPackage(modules, 'fastify').length).toBeGreaterThan(0);
    expect(fromPackage(modules, 'pino').length).toBeGreaterThan(0);
    // This blog reads fixture posts, so it has no jobs: the queue (which imports pg even on PGlite)
    // is not loaded just because the app defines jobs.
    expect(fromPackage(modules, 'pg-boss')).toEqual([]);
    expect(fromPackage(modules, 'pg')).toEqual([]);
    expect(fromPackage(modules, 'ioredis')).toEqual([]);
  });

  it('loads nothing that only the database serves: accounts, PGlite, mail, writing posts, live comments', async () => {
    const modules = await modulesLoadedBy('in-memory');
    expect(fromPackage(modules, 'fastify').length).toBeGreaterThan(0);
    for (const name of [
      // accounts: password hashing and strength, tokens, OAuth
      '@node-rs/argon2',
      '@zxcvbn-ts/core',
      'jose',
      'arctic',
      '@oslojs/encoding',
      // the embedded database, mail, writing posts (Markdown, cover uploads), live comments
      '@electric-sql/pglite',
      'nodemailer',
      'markdown-it',
      '@fastify/multipart',
      'file-type',
      '@fastify/websocket',
      'ws',
    ])
      expect({ name, modules: fromPackage(modules, name) }).toEqual({ name, modules: [] });
  });

  it("loads the framework's dependencies from the build's chunks, not file by file from node_modules", async () => {
    const modules = await modulesLoadedBy('bundled');
    for (const name of ['fastify', 'find-my-way', 'ajv', '@fastify/static', 'prom-client', '@sinclair/typebox']) {
      expect(fromPackage(modules, name).length, name).toBeGreaterThan(0);
      expect(filesOfPackage(modules, name), name).toEqual([]);
    }
    // Only the packages that must stay outside the build: pino (its worker transports).
    expect(filesOfPackage(modules, 'pino').length).toBeGreaterThan(0);
  });

  it('on the seed posts in memory, loads the HTML sanitizer on the first read of the posts, not at start', async () => {
    const started = await modulesLoadedBy('seed-start', { OPS_SEED_POSTS: '1' }, { firstPage: false });
    expect(fromPackage(started, 'fastify').length).toBeGreaterThan(0);
    expect(fromPackage(started, 'sanitize-html')).toEqual([]);
    const read = await modulesLoadedBy('seed-read', { OPS_SEED_POSTS: '1' });
    expect(fromPackage(read, 'sanitize-html').length).toBeGreaterThan(0);
  });

  it('loads @fastify/rate-limit only when rate limiting is on', async () => {
    expect(fromPackage(await modulesLoadedBy('limiter-on'), '@fastify/rate-limit').length).toBeGreaterThan(0);
    const off = await modulesLoadedBy('limiter-off', { RATE_LIMIT_ENABLED: 'false' });
    expect(fromPackage(off, '@fastify/rate-limit')).toEqual([]);
  });

  it('loads ioredis once REDIS_URL is set', async (context) => {
    const redisUrl = await requireRedis();
    if (!redisUrl) return context.skip();
    const modules = await modulesLoadedBy('redis', {
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: `modules-test-${process.pid}:`,
    });
    expect(fromPackage(modules, 'ioredis').length).toBeGreaterThan(0);
    for (const importer of importersOf(modules, 'pg')) expect(importer).toMatch(/\/node_modules\/pg-boss\//);
  });
});
