import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCertificate, type TestCertificate } from '@composable-svelte/testing';
import { audit, formatReport, type AuditReport } from '@composable-svelte/doctor';
import { freePort } from './support/free-port.js';
import { sleep, spawnChild, startChild, type Child } from './support/ops-child.js';

/**
 * The doctor (packages/doctor) audits the built blog as a real process on loopback: in production
 * every check passes (over plain HTTP the HTTPS-only ones are skipped, over HTTPS they pass too),
 * and with PRESET=off it fails, naming each protection that is missing. Rate limiting is not
 * visible from one request and is not claimed either way.
 */

const cliPath = join(dirname(createRequire(import.meta.url).resolve('@composable-svelte/doctor')), 'cli.js');

/** Runs the CLI as its own process, as an operator would, and returns its exit code and output. */
function runCli(args: string[], env: Record<string, string> = {}) {
  const base: Record<string, string | undefined> = { ...process.env };
  for (const key of ['NODE_OPTIONS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID', 'NODE_ENV']) delete base[key];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const byStatus = (report: AuditReport, status: string) =>
  report.checks.filter((c) => c.status === status).map((c) => c.id);

describe('the doctor on the production blog over plain HTTP', () => {
  let blog: Child;

  beforeAll(async () => {
    blog = await startChild();
  });

  afterAll(async () => {
    blog?.kill('SIGKILL');
    await blog?.exited(5000);
  });

  it('passes every check, the HTTPS-only ones skipped as not HTTPS', async () => {
    const report = await audit(`${blog.origin}/`, { apiPath: '/api/posts/1', paths: ['/posts/1', '/subscribe'] });
    console.log(formatReport(report));

    expect(byStatus(report, 'fail'), formatReport(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.status === 'skip')).toEqual([
      expect.objectContaining({ id: 'https.redirect', detail: expect.stringMatching(/^skipped: not HTTPS/) }),
      expect.objectContaining({ id: 'https.hsts', detail: 'skipped: not HTTPS' }),
    ]);
    // Every kind of response is graded, and each one is A+.
    const grades = report.checks.filter((c) => c.id.startsWith('grade.'));
    expect(grades.map((c) => c.id)).toEqual([
      'grade.page',
      'grade.page /posts/1',
      'grade.page /subscribe',
      'grade.not-found',
      'grade.asset',
      'grade.api',
      'grade.not-modified',
    ]);
    for (const grade of grades) expect(grade.detail).toMatch(/^A\+ \(1[5-6]\d\)/);
    // The subscribe form's CSRF cookie is judged: behind an https PUBLIC_URL it carries the __Host- prefix.
    expect(report.checks.find((c) => c.id === 'cookie __Host-cs_csrf')?.status).toBe('pass');
    expect(report.checks.find((c) => c.id === 'cache.asset-304')?.detail).toMatch(/→ 304$/);
  });

  it('the CLI exits 0 and prints the table', async () => {
    const { code, stdout, stderr } = await runCli([`${blog.origin}/`, '--api', '/api/posts/1']);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^OK: 0 failing/m);
    expect(code).toBe(0);
  });
});

describe('the doctor on the blog with PRESET=off', () => {
  let blog: Child;

  beforeAll(async () => {
    blog = await startChild({ env: { PRESET: 'off' } });
  });

  afterAll(async () => {
    blog?.kill('SIGKILL');
    await blog?.exited(5000);
  });

  it('fails, naming each missing protection', async () => {
    const report = await audit(`${blog.origin}/`, { apiPath: '/api/posts/1' });
    console.log(formatReport(report));
    const detail = (id: string) => report.checks.find((c) => c.id === id)?.detail ?? '';

    expect(report.ok).toBe(false);
    expect(byStatus(report, 'fail')).toEqual([
      'grade.page',
      'grade.not-found',
      'grade.asset',
      'grade.api',
      'grade.not-modified',
      'csp.enforced',
      'headers.security',
      'compression.html',
    ]);
    expect(detail('csp.enforced')).toBe('missing Content-Security-Policy');
    for (const header of [
      'X-Content-Type-Options',
      'X-Frame-Options',
      'Referrer-Policy',
      'Cross-Origin-Opener-Policy',
    ]) {
      expect(detail('headers.security')).toContain(header);
    }
    expect(detail('grade.page')).toMatch(/^D \(30\): /);
    expect(detail('grade.page')).toContain('content-security-policy CspNotImplemented -25');
    expect(detail('grade.page')).toContain('strict-transport-security HstsNotImplemented -20');
    expect(detail('compression.html')).toMatch(/sent uncompressed although br and gzip were offered/);
    // What the preset keeps is still reported as passing; nothing is said about rate limits.
    expect(byStatus(report, 'pass')).toEqual(expect.arrayContaining(['probe.health', 'probe.ready', 'request-id']));
    expect(report.checks.some((c) => /rate/i.test(c.id + c.detail))).toBe(false);
  });

  it('the CLI exits 1 and its JSON lists the failures', async () => {
    const { code, stdout } = await runCli([`${blog.origin}/`, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as AuditReport;
    expect(report.ok).toBe(false);
    expect(byStatus(report, 'fail')).toContain('csp.enforced');
  });
});

describe('the doctor on the production blog over HTTPS', () => {
  let blog: Child;
  let certificate: TestCertificate;
  let port: number;
  let redirectPort: number;

  beforeAll(async () => {
    certificate = await createTestCertificate();
    port = await freePort();
    do redirectPort = await freePort();
    while (redirectPort === port);
    blog = spawnChild({
      port,
      env: {
        NODE_ENV: 'production',
        DATABASE_DIR: 'memory://',
        LOG_LEVEL: 'warn',
        SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
        PUBLIC_URL: `https://localhost:${port}`,
        HOST: '127.0.0.1',
        PORT: String(port),
        RATE_LIMIT_MAX: '1000000',
        TLS_CERT: certificate.certPath,
        TLS_KEY: certificate.keyPath,
        HTTP_REDIRECT_PORT: String(redirectPort),
      },
    });
    const ca = readFileSync(certificate.certPath);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const status = await new Promise<number>((resolve) => {
        httpsGet(`https://localhost:${port}/health`, { ca, timeout: 1000 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', () => resolve(0));
      });
      if (status === 200) break;
      if (Date.now() > deadline) throw new Error(`the TLS blog did not start:\n${blog.stdout()}\n${blog.stderr()}`);
      await sleep(100);
    }
  });

  afterAll(async () => {
    blog?.kill('SIGKILL');
    await blog?.exited(5000);
    certificate.remove();
  });

  it('passes every check, HTTP→HTTPS redirect and HSTS included', async () => {
    const { code, stdout, stderr } = await runCli(
      [`https://localhost:${port}/`, '--http-port', String(redirectPort), '--api', '/api/posts/1', '--json'],
      { NODE_EXTRA_CA_CERTS: certificate.certPath },
    );
    expect(stderr).toBe('');
    const report = JSON.parse(stdout) as AuditReport;
    expect(byStatus(report, 'fail'), formatReport(report)).toEqual([]);
    expect(byStatus(report, 'skip')).toEqual([]);
    expect(code).toBe(0);
    expect(report.checks.find((c) => c.id === 'https.redirect')?.detail).toBe(
      `http://localhost:${redirectPort}/ → 308 https://localhost:${port}/`,
    );
    expect(report.checks.find((c) => c.id === 'https.hsts')?.detail).toBe('max-age=31536000; includeSubDomains');
  });
});
