import { FrameworkError } from '@composable-svelte/core';

/** Who holds a port, when the system can tell. */
export interface PortHolder {
  readonly pid: number;
  readonly command: string;
}

export class PortInUseError extends FrameworkError {
  readonly port: number;
  readonly holder: PortHolder | undefined;
  readonly freePort: number | undefined;

  constructor(port: number, holder: PortHolder | undefined, freePort: number | undefined) {
    const who = holder ? ` by ${holder.command} (pid ${holder.pid})` : '';
    const offer =
      freePort === undefined
        ? 'choose a free port with --port <n> or PORT=<n>'
        : `port ${freePort} is free: run again with --port ${freePort} (or PORT=${freePort})`;
    super(
      'CS3001',
      `Port ${port} is already in use${who}`,
      holder ? `${offer}, or stop ${holder.command} (kill ${holder.pid})` : offer,
    );
    this.name = 'PortInUseError';
    this.port = port;
    this.holder = holder;
    this.freePort = freePort;
  }
}

/** The module `composable-svelte dev` loads does not default-export a function that builds the server. */
export class ServerModuleError extends FrameworkError {
  constructor(module: string, found: string) {
    super(
      'CS3002',
      `${module} has no default export that builds the server (found: ${found})`,
      'default-export a function `({ env }) => createServer({ … })` from the server module, e.g. `export default createBlogServer`, or name another module with --server',
    );
    this.name = 'ServerModuleError';
  }
}
