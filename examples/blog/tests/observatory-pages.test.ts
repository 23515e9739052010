import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGrade, gradeResponse, OBSERVATORY_ORIGIN, type Grade } from '@composable-svelte/doctor';
import { loadBuiltApp } from './support/built-server.js';

/**
 * Every page of the production build, graded offline with Mozilla HTTP Observatory's header rules
 * as served at https://blog.example.com. The HTML pages must reach A+ with at least 150 of the 160
 * points reachable without the HSTS preload list; an API response and an asset are graded for
 * information only. Each grade is printed with every modifier that applied.
 */

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;

const PUBLIC_URL = 'https://blog.example.com';
// Production requires a session secret (the server refuses to start without one).
const ENV = {
  NODE_ENV: 'production',
  // Each server its own embedded database: test files run in parallel.
  DATABASE_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  PUBLIC_URL,
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
} as const;

let server: BlogServer;
const summary: string[] = [];

beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV } });
});

afterAll(async () => {
  if (summary.length > 0) console.log(`Observatory scores (offline, as ${PUBLIC_URL}):\n${summary.join('\n')}`);
  await server?.close();
});

/** A GET as the Observatory sends it (it always adds its Origin), graded and printed. */
async function grade(
  path: string,
): Promise<{ status: number; contentType: string; body: string; grade: Grade; report: string }> {
  const res = await server.inject({ method: 'GET', url: path, headers: { origin: OBSERVATORY_ORIGIN } });
  const url = PUBLIC_URL + path;
  const result = gradeResponse({ url, status: res.statusCode, headers: res.headers, body: res.body });
  const report = formatGrade(url, result);
  console.log(report);
  summary.push(`  ${String(result.score).padStart(3)} ${result.grade.padEnd(2)}  ${res.statusCode}  ${path}`);
  return {
    status: res.statusCode,
    contentType: String(res.headers['content-type'] ?? ''),
    body: res.body,
    grade: result,
    report,
  };
}

describe('Observatory grades of the blog’s pages', () => {
  it.each([
    ['the home page', '/', 200],
    ['a post', '/posts/1', 200],
    ['a post’s comments', '/posts/3/comments', 200],
    ['the not-found page', '/no/such/page', 404],
    ['the bad-request page', '/posts/abc', 400],
  ] as const)('%s (%s) is A+ with at least 150 points', async (_label, path, status) => {
    const page = await grade(path);

    expect(page.status).toBe(status);
    expect(page.contentType).toMatch(/^text\/html\b/);
    // The report lists what is missing, so a failure says why.
    expect(page.grade.grade, page.report).toBe('A+');
    expect(page.grade.score, page.report).toBeGreaterThanOrEqual(150);
  });

  it('grades a JSON API response, for information', async () => {
    const api = await grade('/api/posts/1');

    expect(api.status).toBe(200);
    expect(api.contentType).toMatch(/^application\/json\b/);
    expect(api.grade.results.find((r) => r.test === 'subresource-integrity')?.expectation).toBe(
      'SriNotImplementedResponseNotHtml',
    );
  });

  it('grades a built asset, for information', async () => {
    const home = await server.inject({ method: 'GET', url: '/' });
    const entry = /<script type="module" src="([^"]+)"/.exec(home.body)?.[1];
    expect(entry, 'the home page loads its client entry').toMatch(/^\/assets\/.+\.js$/);

    const asset = await grade(entry!);

    expect(asset.status).toBe(200);
    expect(asset.contentType).toMatch(/javascript/);
  });
});
