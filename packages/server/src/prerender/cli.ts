import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

// Pages are rendered as production renders them; Svelte reads this once, when first loaded.
process.env.NODE_ENV ??= 'production';
const { FrameworkError } = await import('@composable-svelte/core');
const { randomBytes } = await import('node:crypto');
const { readEnvFile } = await import('../config/load-config.js');
const { prerenderSite } = await import('./prerender-site.js');
const { writePrerenderedPages } = await import('./prerendered-files.js');
const { staticExportRefusals, writeStaticSite } = await import('./static-export.js');
const { StaticExportError } = await import('./prerender-errors.js');

const USAGE = `Usage: composable-svelte prerender [--server <module>] [--out <dir>] [--static] [--static-out <dir>] [--no-crawl]

  --server      built module whose default export builds the server (default: dist/server/app.js)
  --out         where the server reads prerendered pages (default: dist/prerendered)
  --static      also write a static site, refused unless every page prerenders
  --static-out  where the static site goes (default: dist/static)
  --no-crawl    do not follow the links of prerendered pages`;

const print = (text: string) => process.stderr.write(`${text}\n`);
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    server: { type: 'string', default: 'dist/server/app.js' },
    out: { type: 'string', default: 'dist/prerendered' },
    static: { type: 'boolean', default: false },
    'static-out': { type: 'string', default: 'dist/static' },
    'no-crawl': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals[0] !== 'prerender') {
  print(USAGE);
  process.exit(values.help ? 0 : 2);
}

const modulePath = resolve(values.server);
if (!existsSync(modulePath)) {
  print(`composable-svelte prerender: no server module at ${modulePath} (build the server first, or pass --server)`);
  process.exit(2);
}
const out = resolve(values.out);
const env: Record<string, string | undefined> = {
  // Start-up notes (such as the two protections turned off below) are not the build's business.
  LOG_LEVEL: 'error',
  ...readEnvFile('.env'),
  ...process.env,
  // The build's own requests are not traffic: a site of more pages than RATE_LIMIT_MAX, or a busy
  // build machine, must not turn pages into 429s and 503s.
  RATE_LIMIT_ENABLED: 'false',
  LOAD_SHED_MAX_EVENT_LOOP_DELAY_MS: '0',
  LOAD_SHED_MAX_EVENT_LOOP_UTILIZATION: '0',
};
// Prerendered pages are the same for everyone, so none holds anything signed with the secret.
env.SESSION_SECRET ??= randomBytes(48).toString('base64url');

const started = performance.now();
const factory = ((await import(pathToFileURL(modulePath).href)) as { default?: unknown }).default;
if (typeof factory !== 'function') {
  print(`composable-svelte prerender: ${values.server} has no default export building the server`);
  process.exit(2);
}
// Pages of an earlier build would be reported as another build's when the server starts.
rmSync(out, { recursive: true, force: true });
const server = (await factory({ env })) as import('fastify').FastifyInstance;
let code = 0;
try {
  const target = server.prerenderTarget;
  if (target.prerenderedDir === undefined || resolve(target.prerenderedDir) !== out)
    throw new Error(
      `the server reads prerendered pages from ${target.prerenderedDir ?? 'nowhere'}, not ${out}: pass --out or createServer({ prerendered })`,
    );
  if (values.static) {
    const refused = staticExportRefusals(target);
    if (refused.length > 0) throw new StaticExportError(refused);
  }
  const result = await prerenderSite(server, { crawl: !values['no-crawl'] });
  writePrerenderedPages(out, {
    publicUrl: server.config.publicUrl,
    clientScript: target.clientScript,
    pages: result.pages,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  print(
    `[prerender] ${result.pages.length} page(s) in ${out} (${result.checkedLinks.length} other internal link(s) checked) in ${seconds} s`,
  );
  if (values.static) {
    const staticOut = resolve(values['static-out']);
    writeStaticSite(staticOut, { clientDir: target.clientDir, prerenderedDir: out, pages: result.pages });
    print(`[prerender] static site in ${staticOut}`);
  }
} catch (error) {
  // A framework error says what to do; a stack would only hide it.
  print(error instanceof FrameworkError ? error.message : `composable-svelte prerender: ${(error as Error).stack}`);
  code = 1;
} finally {
  await server.close();
}
process.exit(code);
