import { createServer } from 'node:net';

/** A port the OS considers free right now: listen on port 0, read the number, close. */
export async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => resolve());
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string' || address.port === 0) {
    throw new Error(`Could not get a free port from the OS (got ${JSON.stringify(address)})`);
  }
  return address.port;
}
