// `npm run dev`: Vite rebuilds the client and the server on every change, and Node restarts the
// server whenever the build output changes. Reload the browser to see a change.
import { spawn } from 'node:child_process';
import { build } from 'vite';

process.env.NODE_ENV ??= 'development';

/** Starts a watching build and resolves once its first build is written. */
function watch(ssr) {
  return build({ build: { ssr, watch: {} }, logLevel: 'warn' }).then(
    (watcher) =>
      new Promise((resolve, reject) =>
        watcher.on('event', (event) => {
          if (event.code === 'END') resolve(watcher);
          if (event.code === 'ERROR') {
            event.result?.close();
            // After the first build an error is only reported: the next save rebuilds.
            reject(event.error);
          }
        }),
      ),
  );
}

const watchers = await Promise.all([watch(false), watch(true)]);
const server = spawn(
  process.execPath,
  ['--watch-path=dist', '--watch-preserve-output', '--enable-source-maps', 'dist/server/entry.js'],
  { stdio: 'inherit', env: process.env },
);
const stop = async () => {
  server.kill('SIGTERM');
  await Promise.all(watchers.map((watcher) => watcher.close()));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => process.exit(code ?? 0));
