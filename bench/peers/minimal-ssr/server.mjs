// The ceiling of uncached server rendering: bare Fastify (no plugins, no logger, no headers but
// Content-Type) that answers `/` and `/posts/:id` by reading the rows from the database, building
// the page's state with the blog's own load function and reducer, rendering the blog's compiled App
// with Svelte's server renderer and wrapping it in the framework's document shell. Its HTML is ours'
// byte for byte (the bench checks it at run start). See bench/README.md, "The baselines".
//
//   DATABASE_TEMPLATE=examples/blog/dist/server/db-template.tar.gz PORT=3000 node bench/peers/minimal-ssr/server.mjs
//   DATABASE_URL=postgres://…/cs_bench PUBLIC_URL=http://localhost:3001 PORT=3000 node bench/peers/minimal-ssr/server.mjs
import Fastify from 'fastify';
import { loadBlogPages } from './pages.mjs';
import { openPosts } from './posts.mjs';

const { PORT = '3000', HOST = '127.0.0.1' } = process.env;
// Ours prints its public URL into the page (canonical links, the state's origin): the bench passes ours'.
const publicUrl = (process.env.PUBLIC_URL ?? `http://localhost:${PORT}`).replace(/\/+$/, '');

const posts = await openPosts(process.env);
const pages = await loadBlogPages(publicUrl);
const HTML = 'text/html; charset=utf-8';

const app = Fastify({ logger: false });
app.get('/', async (request, reply) => reply.type(HTML).send(pages.home(await posts.list(), request)));
app.get('/posts/:id', async (request, reply) => {
  // The blog's route table accepts ids 1 to 1e9; anything else is not one of its posts either.
  const id = Number(request.params.id);
  const post = /^[1-9]\d{0,9}$/.test(request.params.id) && id <= 1e9 ? await posts.get(id) : undefined;
  if (!post) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
  return reply.type(HTML).send(pages.post(post, request));
});
app.get('/health', (_request, reply) => reply.send({ status: 'ok' }));

const close = () => app.close().then(() => process.exit(0), () => process.exit(1));
process.once('SIGTERM', close);
process.once('SIGINT', close);

await app.listen({ port: Number(PORT), host: HOST });
