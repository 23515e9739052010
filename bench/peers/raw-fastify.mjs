// The ceiling: bare Fastify answering a constant copy of the blog's `/` HTML. No rendering, no
// plugins, no headers beyond Content-Type. Nothing serving that page can be faster on this box.
//
//   HTML_FILE=path/to/page.html PORT=3000 node bench/peers/raw-fastify.mjs
//   SOURCE_URL=http://127.0.0.1:3001/ PORT=3000 node bench/peers/raw-fastify.mjs   (fetched once at start)
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const { HTML_FILE, SOURCE_URL, PORT = '3000', HOST = '127.0.0.1' } = process.env;

async function loadHtml() {
  if (HTML_FILE) return readFileSync(HTML_FILE);
  if (SOURCE_URL) {
    const response = await fetch(SOURCE_URL, { headers: { accept: 'text/html' } });
    if (!response.ok) throw new Error(`${SOURCE_URL} answered ${response.status}`);
    return Buffer.from(await response.arrayBuffer());
  }
  throw new Error('set HTML_FILE or SOURCE_URL');
}

const html = await loadHtml();
const app = Fastify({ logger: false });
app.get('/', (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
app.get('/health', (_request, reply) => reply.send({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ port: Number(PORT), host: HOST });
