import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, CLI, run, SITE_ENV, type BuiltSite } from './support/prerender-app.js';

/**
 * `composable-svelte prerender`, the real command, on one build of the prerender fixture app; each
 * variant of the app (SITE_VARIANT) is a different site. The runs share the build, so they run in order.
 */
let site: BuiltSite;
beforeAll(async () => {
  site = await buildSite();
}, 120_000);
afterAll(() => site?.remove());

const prerender = (variant: string, ...args: string[]) =>
  run(site.root, [CLI, 'prerender', ...args], { ...SITE_ENV, SITE_VARIANT: variant });
const built = (path: string) => join(site.root, 'dist', path);

// Each test runs the command (a server start and a build) once or twice: seconds each on a busy machine.
describe('composable-svelte prerender fails the build, listing every problem', { timeout: 60_000 }, () => {
  it('a static export of an app with pages rendered per request and handlers of its own', async () => {
    const { code, output } = await prerender('default', '--static');
    expect(code, output).toBe(1);
    expect(output).toContain('error[CS2004]');
    expect(output).toContain('2 part(s) of this app need the server');
    expect(output).toContain('route "search" (/search) is rendered per request (no prerender: true)');
    expect(output).toContain("POST /contact is a handler of the app's own routes");
    expect(existsSync(built('static'))).toBe(false);
    expect(existsSync(built('prerendered'))).toBe(false);
  });

  it('broken internal links, with the pages that hold them', async () => {
    const { code, output } = await prerender('broken');
    expect(code, output).toBe(1);
    expect(output).toContain('error[CS2003]');
    expect(output).toContain('2 broken internal link(s)');
    expect(output).toContain('/docs/nope (404), linked from /about');
    expect(output).toContain('/nowhere (404), linked from /about');
    expect(existsSync(built('prerendered'))).toBe(false);
  });

  it('pages that are not the same for everyone or whose data changes at runtime', async () => {
    const { code, output } = await prerender('unshareable');
    expect(code, output).toBe(1);
    expect(output).toContain('2 page(s) cannot be prerendered');
    expect(output).toMatch(/\/welcome: is not the same for every visitor \(it sets a cookie, calls csrfToken\(\)/);
    expect(output).toContain('/docs/intro: shows data that changes at runtime (cache tags doc:Introduction)');
    expect(existsSync(built('prerendered'))).toBe(false);
  });
});

describe('composable-svelte prerender writes the pages', { timeout: 60_000 }, () => {
  it('follows links from prerendered pages unless told not to', async () => {
    const crawled = await prerender('default');
    expect(crawled.code, crawled.output).toBe(0);
    // /docs/api is in no entries(): the crawl found it on /docs/intro. /search was requested, not written.
    expect(crawled.output).toMatch(/\[prerender\] 4 page\(s\) in .* \(2 other internal link\(s\) checked\)/);
    expect(existsSync(built('prerendered/pages/docs/api.html'))).toBe(true);
    expect(existsSync(built('prerendered/pages/search.html'))).toBe(false);

    const listed = await prerender('default', '--no-crawl');
    expect(listed.code, listed.output).toBe(0);
    expect(listed.output).toMatch(/\[prerender\] 3 page\(s\)/);
    expect(existsSync(built('prerendered/pages/docs/api.html'))).toBe(false);
  });

  it('renders more pages than a client may request per rate-limit window: the build is not limited', async () => {
    const { code, output } = await prerender('large', '--no-crawl');
    expect(code, output).toBe(0);
    // 320 listed docs besides / and /about, one client as far as the limiter knows: RATE_LIMIT_MAX is 300.
    expect(output).toMatch(/\[prerender\] 322 page\(s\)/);
  });

  it(
    '`npm run build -- --static` builds the app and exports it, or refuses with the list',
    { timeout: 90_000 },
    async () => {
      // The fixture's build script ends with the prerender step, so the flag reaches it.
      const npm = (variant: string) =>
        run(site.root, ['run', 'build', '--', '--static'], { ...SITE_ENV, SITE_VARIANT: variant }, 'npm');
      const exported = await npm('strict');
      expect(exported.code, exported.output).toBe(0);
      expect(exported.output).toContain('[prerender] static site in');
      expect(readFileSync(join(built('static'), 'docs/intro.html'), 'utf8')).toContain(
        '<h1 id="title">Introduction</h1>',
      );
      const refused = await npm('default');
      expect(refused.code, refused.output).not.toBe(0);
      expect(refused.output).toContain('route "search" (/search) is rendered per request');
    },
  );

  it('--static writes a site a static host can serve, with the server’s headers for each page', async () => {
    const { code, output } = await prerender('strict', '--static');
    expect(code, output).toBe(0);
    const root = built('static');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory() ? files(join(dir, entry.name)).map((file) => `${entry.name}/${file}`) : [entry.name],
      );
    const written = files(root);
    for (const page of ['index.html', 'about.html', 'docs/intro.html', 'docs/api.html'])
      expect(written).toEqual(expect.arrayContaining([page, `${page}.br`, `${page}.gz`]));
    expect(written.filter((file) => /^assets\/entry-[\w-]+\.js$/.test(file))).toHaveLength(1);
    // Vite's manifest and the prerender manifest are for the server, not for visitors.
    expect(written.some((file) => file.startsWith('.vite') || file === 'manifest.json')).toBe(false);
    expect(readFileSync(join(root, 'about.html'), 'utf8')).toBe(
      readFileSync(built('prerendered/pages/about.html'), 'utf8'),
    );
    const rules = readFileSync(join(root, '_headers'), 'utf8');
    const about = rules.split('\n\n').find((block) => block.startsWith('/about\n'))!;
    expect(about).toMatch(/^ {2}content-security-policy: default-src 'none';script-src 'self'/m);
    expect(about).toMatch(/^ {2}strict-transport-security: max-age=\d+/m);
    expect(about).toMatch(/^ {2}x-content-type-options: nosniff$/m);
    expect(about).not.toMatch(/etag|ratelimit|last-modified|content-length/);
  });
});
