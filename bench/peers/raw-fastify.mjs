// The ceiling of the page cache: bare Fastify answering a constant copy of the blog's `/` HTML, with
// the response headers ours sends on a cache hit (HEADERS_FILE: security headers, ETag, caching…)
// as constants. No rendering, no plugins, no per-request work: nothing serving those bytes with
// those headers can be faster on this box.
//
//   HTML_FILE=path/to/page.html [HEADERS_FILE=headers.json] PORT=3000 node bench/peers/raw-fastify.mjs
//   SOURCE_URL=http://127.0.0.1:3001/ PORT=3000 node bench/peers/raw-fastify.mjs   (fetched once at start)
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const { HTML_FILE, HEADERS_FILE, SOURCE_URL, PORT = '3000', HOST = '127.0.0.1' } = process.env;

/** Written by Node for every response, or describing this body's framing: never copied. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function loadPage() {
  if (HTML_FILE) {
    const headers = HEADERS_FILE ? JSON.parse(readFileSync(HEADERS_FILE, 'utf8')) : {};
    return { html: readFileSync(HTML_FILE), headers };
  }
  if (SOURCE_URL) {
    const response = await fetch(SOURCE_URL, { headers: { accept: 'text/html' } });
    if (!response.ok) throw new Error(`${SOURCE_URL} answered ${response.status}`);
    return { html: Buffer.from(await response.arrayBuffer()), headers: Object.fromEntries(response.headers) };
  }
  throw new Error('set HTML_FILE or SOURCE_URL');
}

const { html, headers } = await loadPage();
const constant = Object.fromEntries(
  Object.entries({ 'content-type': 'text/html; charset=utf-8', ...headers }).filter(
    ([name]) => !PER_RESPONSE.has(name.toLowerCase()),
  ),
);
const app = Fastify({ logger: false });
app.get('/', (_request, reply) => reply.headers(constant).send(html));
app.get('/health', (_request, reply) => reply.send({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ port: Number(PORT), host: HOST });
