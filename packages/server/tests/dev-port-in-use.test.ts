import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CLI } from './support/dev-app.js';

let holder: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (holder ? holder.close(resolve) : resolve(undefined)));
});

describe('composable-svelte dev on a busy port', () => {
  it('names the process holding it and offers the next free port', async () => {
    holder = createServer();
    await new Promise<void>((resolve) => holder!.listen(0, 'localhost', resolve));
    const port = (holder.address() as { port: number }).port;
    const child = spawn(process.execPath, [CLI, 'dev', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain(`error[CS3001]: Port ${port} is already in use by `);
    expect(stderr).toContain(`(pid ${process.pid})`);
    expect(stderr).toMatch(/help: port (\d+) is free: run again with --port \1 \(or PORT=\1\)/);
    expect(stderr).toContain('docs: docs/errors.md#cs3001');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
