import { parseArgs } from 'node:util';

// Before any import of Svelte or esm-env: they read it once, when first loaded.
process.env.NODE_ENV = 'development';
const { FrameworkError } = await import('@composable-svelte/core');
const { startDevServer } = await import('./dev-server.js');

const USAGE = `Usage: composable-svelte dev [--port <n>] [--host <name>] [--server <module>] [--root <dir>]

  --port     port to listen on (default: PORT, else 3000)
  --host     interface to listen on (default: HOST, else localhost)
  --server   module whose default export builds the server (default: src/server/app.ts)
  --root     the app's directory (default: the working directory)

Also: composable-svelte prerender [--static] [--no-crawl] (pages built ahead of time: docs/prerendering.md)`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
    server: { type: 'string' },
    root: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

const print = (text: string) => process.stderr.write(`${text}\n`);

if (values.help || positionals[0] !== 'dev') {
  print(USAGE);
  process.exit(values.help ? 0 : 2);
}

const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  print(`composable-svelte dev: --port must be an integer from 0 to 65535; got "${values.port ?? process.env.PORT}"`);
  process.exit(2);
}

const started = performance.now();
try {
  const server = await startDevServer({
    port,
    host: values.host ?? process.env.HOST ?? 'localhost',
    ...(values.server ? { serverModule: values.server } : {}),
    ...(values.root ? { root: values.root } : {}),
  });
  print(`[dev] ready in ${Math.round(performance.now() - started)} ms: ${server.url}`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  // A framework error says what to do; a stack would only hide it.
  if (error instanceof FrameworkError) {
    print(error.message);
    process.exit(1);
  }
  throw error;
}
