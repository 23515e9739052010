// Micro-benchmarks of the core work one uncached SSR request does (issue #16): serializing the
// state, a store's lifecycle (create, dispatch, settled with a deadline, destroy) and router.href.
// Run after `npm run build`: `npx node bench/core-micro.mjs [--baseline <another core dist>]`.
// Prints the best of 15 samples of each, in µs per operation (on a busy machine the minimum is the
// steadiest figure); with a baseline (e.g. main's core
// built elsewhere) both run in the same process, their samples interleaved so that load on the
// machine hits both alike.
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const { values } = parseArgs({ options: { baseline: { type: 'string' } } });

async function loadCore(path) {
  const dist = pathToFileURL(resolve(path)).href;
  return {
    ...(await import(`${dist}/index.js`)),
    ...(await import(`${dist}/ssr/index.js`)),
    ...(await import(`${dist}/routing/index.js`)),
  };
}
const cores = [['this', await loadCore('packages/core/dist')]];
if (values.baseline) cores.push(['baseline', await loadCore(values.baseline)]);

/** A state shaped like the blog's home page: a dozen post summaries, forms, account, query stamps. */
function homeState() {
  const posts = Array.from({ length: 12 }, (_, i) => ({
    id: i + 1,
    title: `Essay number ${i + 1}: on keeping state & effects apart`,
    author: 'Ada Lovelace',
    publishedAt: new Date(Date.UTC(2026, 0, i + 1)).toISOString(),
    excerpt: 'A reducer is a pure function from state and action to a new state and the effects to run. '.repeat(2),
    commentCount: i % 5,
  }));
  return {
    page: { route: 'home', params: {}, query: {} },
    load: { status: 'ready' },
    posts,
    postsById: {},
    commentsByPost: {},
    queries: { posts: { updatedAt: 1_800_000_000_000, staleAt: 1_800_000_030_000 } },
    subscribe: { email: '', status: 'idle', errors: {}, message: null },
    account: { enabled: true, viewer: null, csrfToken: null, flash: null, providers: [] },
    commentForm: { author: '', body: '', status: 'idle', errors: {} },
    origin: 'https://blog.example.com',
  };
}

/** Runs `make(core)` for each core, 15 interleaved samples of `iterations` calls; prints each best. */
async function measure(label, iterations, make) {
  const runs = cores.map(([name, core]) => ({ name, fn: make(core), samples: [] }));
  for (const run of runs) for (let i = 0; i < iterations; i++) await run.fn();
  for (let round = 0; round < 15; round++) {
    for (const run of runs) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < iterations; i++) await run.fn();
      run.samples.push(Number(process.hrtime.bigint() - started) / 1000 / iterations);
    }
  }
  const figures = runs.map((run) => `${run.name} ${Math.min(...run.samples).toFixed(2)} µs`);
  console.log(`${label.padEnd(46)} ${figures.join('   ')}`);
}

const state = homeState();
const escape = (json) =>
  json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
await measure('JSON.stringify + escaping (floor)', 5_000, () => () => escape(JSON.stringify(state)));
await measure('serializeState', 5_000, (core) => () => core.serializeState(state));

const reducerOf =
  ({ Effect }) =>
  (s, action) => {
    if (action.type === 'load') return [s, Effect.run(async (send) => send({ type: 'loaded', posts: state.posts }))];
    if (action.type === 'loaded') return [{ ...s, posts: action.posts }, Effect.none()];
    return [s, Effect.none()];
  };
await measure('store: create, load effect, settled, destroy', 5_000, (core) => async () => {
  const store = core.createStore({ initialState: { posts: null }, reducer: reducerOf(core) });
  store.dispatch({ type: 'load' });
  await store.settled({ timeoutMs: 10_000 });
  store.destroy();
});
await measure('store: create, settled when idle, destroy', 5_000, (core) => async () => {
  const store = core.createStore({ initialState: { posts: null }, reducer: reducerOf(core) });
  await store.settled({ timeoutMs: 10_000 });
  store.destroy();
});

const routerOf = ({ createRouter, route, param }) =>
  createRouter({
    home: route('/'),
    post: route('/posts/:id', { params: { id: param.int({ min: 1 }) } }),
    comments: route('/posts/:id/comments', {
      params: { id: param.int({ min: 1 }) },
      query: { write: param.enum(['1'], { optional: true }) },
    }),
  });
await measure('router.href × 14 (a home page of links)', 5_000, (core) => {
  const router = routerOf(core);
  return () => {
    router.href({ route: 'home', params: {}, query: {} });
    for (let id = 1; id <= 12; id++) router.href({ route: 'post', params: { id }, query: {} });
    router.href({ route: 'comments', params: { id: 3 }, query: {} });
  };
});
