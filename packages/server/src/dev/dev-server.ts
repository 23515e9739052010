import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ViteDevServer } from 'vite';
import { readEnvFile } from '../config/load-config.js';
import { DEFAULT_CSP } from '../security/headers.js';
import { devCspAdditions, withCspAdditions } from './dev-csp.js';
import { ServerModuleError } from './dev-errors.js';
import { setDevIntegration } from './dev-integration.js';
import { OVERLAY_MODULE_PATH, OVERLAY_MODULE_SOURCE, overlayError, overlayMarkup } from './dev-overlay.js';
import { listenOrExplain } from './port-in-use.js';
import { changedSince, fileVersion, versionsOf } from './source-versions.js';

export interface DevServerOptions {
  /** The app's directory (vite.config, .env, src/). Default: the working directory. */
  readonly root?: string;
  /** The module whose default export builds the server, relative to root. Default `src/server/app.ts`. */
  readonly serverModule?: string;
  readonly port?: number;
  readonly host?: string;
  /** The environment the app sees; default `.env` in root overlaid by process.env. NODE_ENV is always development. */
  readonly env?: Record<string, string | undefined>;
  /** Where the dev server's own messages go (build failures, reloads). Default stderr. */
  readonly log?: (line: string) => void;
}

/** What the server module default-exports: it builds (but does not start) the app's server. */
export type DevServerFactory = (options: { env: Record<string, string | undefined> }) => Promise<FastifyInstance>;

export interface DevServer {
  readonly url: string;
  readonly port: number;
  readonly vite: ViteDevServer;
  close(): Promise<void>;
}

/**
 * One process for development: the app's own server (createServer, the production plugins) behind
 * Vite in middleware mode. Server modules load through Vite's SSR loader; after an edit to any of
 * them the next request is served by a server rebuilt from the new modules — no restart. Browser
 * modules hot-reload through Vite (Svelte HMR).
 */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  // Vite compiles components in development mode; Svelte's server runtime must be in it too, and it
  // decides by NODE_ENV (esm-env) when first imported. The CLI sets it before importing anything.
  process.env.NODE_ENV = 'development';
  const root = resolve(options.root ?? process.cwd());
  const serverModule = resolve(root, options.serverModule ?? 'src/server/app.ts');
  const host = options.host ?? 'localhost';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  // Requests that arrive while Vite starts wait for it rather than hang unanswered.
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const early = (request: IncomingMessage, response: ServerResponse) => {
    void ready.then(() => handle(request, response));
  };
  const http = createHttpServer(early);
  // Listening comes first: a busy port is reported before the slow part.
  const port = await listenOrExplain(http, options.port ?? 3000, host);
  const url = `http://${host}:${port}`;
  const env: Record<string, string | undefined> = {
    PUBLIC_URL: url,
    ...(options.env ?? { ...readEnvFile(resolve(root, '.env')), ...process.env }),
    NODE_ENV: 'development',
    PORT: String(port),
  };
  const styleNonce = randomBytes(16).toString('base64url');
  const origins = [...new Set([url, `http://localhost:${port}`, `http://127.0.0.1:${port}`])];
  const csp = devCspAdditions(origins, styleNonce);

  const { createServer: createVite, createServerModuleRunner } = await import('vite');
  const vite = await createVite({
    root,
    appType: 'custom',
    // The embedded database writes under .data/ all the time: nothing there is a module.
    server: { middlewareMode: true, hmr: { server: http }, watch: { ignored: ['**/.data/**', '**/dist/**'] } },
    // One copy of the framework for the dev runner and the app it loads: its state (this
    // integration, error classes) is shared, and it is already built.
    ssr: { external: ['@composable-svelte/core', '@composable-svelte/server', 'svelte'] },
  });
  // Evaluates the app's server modules from Vite's transforms; stacks map back to the source lines.
  const runner = createServerModuleRunner(vite.environments.ssr, { hmr: false });

  setDevIntegration({
    clientAssets: (entry) => ({
      script: { href: `/${entry.replace(/^\//, '')}` },
      preloads: [],
      styles: [],
      dev: { scripts: ['/@vite/client'], styleNonce },
      // Vite serves each module as it is imported: there are no built chunks to preload.
      lazyChunks: () => [],
    }),
    csp,
    overlay: (error) => overlayMarkup(overlayError(error, root)),
  });

  let app: FastifyInstance | undefined;
  let building: Promise<FastifyInstance> | undefined;
  const ssrGraph = vite.environments.ssr.moduleGraph;
  // Saves noticed so far, and how many of them the running server (or the build under way) was
  // built after: a request waits for a server built after every save noticed when it arrived.
  let saves = 0;
  let builtAfter = -1;
  let buildingAfter = -1;
  // Drops the cached transform of a saved file at once. Vite's watcher does it too, but only after
  // awaiting its plugins' watchChange hooks: a build in between evaluated the old transform again,
  // and that server kept serving the old module (the flaky edit tests).
  const noticeSave = (file: string) => {
    ssrGraph.onFileChange(file);
    saves += 1;
  };
  // The version (modification time, size, inode) of each file the server was built from, taken
  // before the build read it. Every request compares them with the disk, so a request that arrives
  // after a save is served from it even if the watcher has not reported the save yet (or misses it).
  let builtFrom = new Map<string, string>();
  const noticeSaves = () => {
    for (const file of changedSince(builtFrom)) {
      builtFrom.delete(file);
      noticeSave(file);
    }
  };
  const rebuild = async (): Promise<FastifyInstance> => {
    // Set before the first await: the requests waiting for this build read it at once. A save
    // noticed from here until the versions below are taken is read by this build too: the count is
    // on the safe side.
    buildingAfter = saves;
    const previous = app;
    app = undefined;
    // The old server lets go of what the new one will open (the embedded database, ports).
    await previous?.close();
    const started = performance.now();
    // Taken before anything is read: a save from now on differs from what is recorded for it. A
    // cached transform whose file differs from what it was built from is dropped.
    const versions = versionsOf(ssrGraph.fileToModulesMap.keys());
    for (const [file, version] of versions) if (builtFrom.get(file) !== version) ssrGraph.onFileChange(file);
    try {
      // Every module is evaluated afresh (transforms stay cached): no copy of an edited module or of
      // anything that imported it survives, whatever HMR boundaries the client side has.
      runner.clearCache();
      const module = (await runner.import(serverModule)) as { default?: unknown };
      if (typeof module.default !== 'function') {
        throw new ServerModuleError(serverModule, Object.keys(module).join(', ') || 'no exports');
      }
      const instance = await (module.default as DevServerFactory)({ env });
      await instance.ready();
      app = instance;
      builtAfter = buildingAfter;
      log(`[dev] server modules loaded in ${Math.round(performance.now() - started)} ms`);
      return instance;
    } finally {
      // A file first read by this build gets its version now, just after the read; the watcher
      // covers a save in between.
      builtFrom = new Map(
        [...ssrGraph.fileToModulesMap.keys()].map((file) => [file, versions.get(file) ?? fileVersion(file)]),
      );
    }
  };
  const current = async (): Promise<FastifyInstance> => {
    noticeSaves();
    const wanted = saves;
    for (;;) {
      if (building) {
        const after = buildingAfter;
        const failed = await building.then(
          () => undefined,
          (error: unknown) => ({ error }),
        );
        // A build started before a save this request must see may fail on what the save fixed.
        if (failed && after >= wanted) throw failed.error;
        continue;
      }
      if (app && builtAfter >= wanted) return app;
      building = rebuild().finally(() => {
        building = undefined;
      });
    }
  };
  const markStale = (file: string) => {
    if (ssrGraph.getModulesByFile(file)?.size) noticeSave(file);
  };
  // A watcher that cannot watch (inotify limits, a vanished directory) would otherwise fail silently:
  // saves would reach the server only through the versions compared on each request.
  vite.watcher.on('error', (error: unknown) =>
    log(
      `[dev] file watching failed, saves may not reach the server: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
  vite.watcher.on('change', markStale);
  vite.watcher.on('unlink', markStale);

  const pageCsp = Object.entries(withCspAdditions(DEFAULT_CSP, csp))
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
  // The server could not be built (a syntax error, a throwing module): the overlay says why.
  const reportBuildError = (error: unknown) => {
    log(`[dev] the server could not be built:\n${error instanceof Error ? (error.stack ?? error.message) : error}`);
  };
  const sendBuildError = (response: ServerResponse, error: unknown) => {
    reportBuildError(error);
    const message = error instanceof Error ? error.message : String(error);
    response.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': pageCsp });
    response.end(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Server build failed</title>` +
        `<meta property="csp-nonce" nonce="${styleNonce}"><script type="module" src="/@vite/client"></script></head>` +
        `<body><h1>The server could not be built</h1><pre>${message.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`)}</pre>` +
        `${overlayMarkup(overlayError(error, root))}</body></html>`,
    );
  };

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (request.url === OVERLAY_MODULE_PATH) {
      response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
      response.end(OVERLAY_MODULE_SOURCE);
      return;
    }
    vite.middlewares(request, response, () => {
      current().then(
        (server) => server.routing(request, response),
        (error: unknown) => sendBuildError(response, error),
      );
    });
  };

  // WebSocket upgrades other than Vite's own (its HMR client asks for the `vite-hmr` protocol) go
  // to the app, whose @fastify/websocket routes listen on its server's upgrade event; the app never
  // listens itself here, so nothing else would ever reach them.
  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (/\bvite-/.test(request.headers['sec-websocket-protocol'] ?? '')) return;
    current().then(
      (server) => server.server.emit('upgrade', request, socket, head),
      () => socket.destroy(),
    );
  });

  // Built now so the first page is quick and a broken module is reported at once.
  await current().catch(reportBuildError);
  await watcherReady(vite.watcher);
  http.off('request', early).on('request', handle);
  markReady();

  return {
    url,
    port,
    vite,
    close: async () => {
      await building?.catch(() => undefined);
      await app?.close();
      await runner.close();
      await vite.close();
      setDevIntegration(undefined);
      http.closeAllConnections();
      await new Promise<void>((done) => http.close(() => done()));
    },
  };
}

/**
 * Resolves once the file watcher has scanned the app (bounded): a save before that is not seen, so
 * the server would keep serving the old module. Chokidar says it is ready once, with an event;
 * `_readyEmitted` (not typed) tells whether that already happened.
 */
async function watcherReady(watcher: ViteDevServer['watcher'], boundMs = 10_000): Promise<void> {
  if ((watcher as unknown as { _readyEmitted?: boolean })._readyEmitted !== false) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    new Promise<void>((done) => watcher.once('ready', () => done())),
    new Promise<void>((done) => (timer = setTimeout(done, boundMs))),
  ]);
  clearTimeout(timer);
}
