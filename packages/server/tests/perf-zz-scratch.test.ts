import { it } from 'vitest';
import { closePerfServers, startPerfServer } from './support/perf-server.js';
closePerfServers();
it('scratch', async () => {
  const { server } = await startPerfServer({});
  for (const ae of ['br, gzip', 'br', 'gzip', 'gzip, br', 'gzip, deflate, br, zstd']) for (const m of ['GET', 'HEAD'] as const) {
    const r = await server.inject({ url: '/api/big', method: m, headers: { 'accept-encoding': ae } });
    console.log(m, ae, r.headers['content-encoding'], r.headers.vary, r.headers.etag, r.headers['content-length']);
  }
});
