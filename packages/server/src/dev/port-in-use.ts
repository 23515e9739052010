import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { promisify } from 'node:util';
import { PortInUseError, type PortHolder } from './dev-errors.js';

const run = promisify(execFile);

/** The process listening on a TCP port, from lsof where it exists; undefined when it cannot tell. */
export async function portHolder(port: number): Promise<PortHolder | undefined> {
  try {
    const { stdout } = await run('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { timeout: 2000 });
    const pid = /^p(\d+)$/m.exec(stdout)?.[1];
    const command = /^c(.+)$/m.exec(stdout)?.[1];
    return pid && command ? { pid: Number(pid), command } : undefined;
  } catch {
    return undefined;
  }
}

function canListen(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** The first port after `port` that is free on `host`, trying a few. */
export async function nextFreePort(port: number, host: string, tries = 20): Promise<number | undefined> {
  for (let candidate = port + 1; candidate <= Math.min(65_535, port + tries); candidate++) {
    if (await canListen(candidate, host)) return candidate;
  }
  return undefined;
}

/** Listens, or fails with a PortInUseError naming the holder and a free port to use instead. */
export function listenOrExplain(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EADDRINUSE') return reject(error);
      void Promise.all([portHolder(port), nextFreePort(port, host)]).then(([holder, free]) =>
        reject(new PortInUseError(port, holder, free)),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
