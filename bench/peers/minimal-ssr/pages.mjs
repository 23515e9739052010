// The blog's two measured pages, made with the blog's own code and nothing of the framework's
// request machinery:
// - state: the app definition's `load` (the page's initial state and its `navigate` action) and the
//   app's reducer applied to that action and to the rows' `postsLoaded` / `postLoaded`, as the store
//   would reduce them once the query effect answers. The effects the reducer returns are not run:
//   the rows are already here. No store, no effect runtime, no settle.
// - markup: the compiled App component of the blog's server build, rendered with the Svelte server
//   renderer that build bundles, given a store that only holds that state (App reads the state and
//   scopes it for the subscribe form; nothing dispatches while rendering on the server).
// - document: the framework's shell (packages/server/src/render/document.ts) around it, whose
//   constant parts (stylesheets, modulepreloads with integrity, the entry script) are assembled once
//   per page kind; the state is JSON.stringify'd with serializeState's HTML escapes, without its
//   validation pass.
import { join } from 'node:path';
import { STATE_ELEMENT_ID } from '@composable-svelte/core/ssr';
import { APP_ELEMENT_ID, escapeHtml, loadClientAssets } from '@composable-svelte/server/render';
import { BLOG } from '../../lib/paths.mjs';

const { blogApp, loadPageModules, render } = await import(join(BLOG, 'dist', 'server', 'app.js'));

/** What serializeState escapes so the JSON can sit inside a <script> element. */
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_ESCAPES = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };
const serialize = (state) => JSON.stringify(state).replace(HTML_UNSAFE, (c) => HTML_ESCAPES[c]);

/** A store that holds one state: what App needs of a store while it renders on the server. */
function snapshotStore(state) {
  return {
    state,
    dispatch() {},
    subscribe(listener) {
      listener(state);
      return () => {};
    },
    settled: () => Promise.resolve(),
    destroy() {},
    scope: (toChildState) => snapshotStore(toChildState(state)),
  };
}

/**
 * `home(posts, request)` and `post(post, request)`: the HTML of `/` and `/posts/:id` for an
 * anonymous reader in the default locale, as ours renders it with accounts on and no sign-in
 * providers (its production configuration in the bench). `publicUrl` is ours' PUBLIC_URL.
 */
export async function loadBlogPages(publicUrl) {
  // The blog's app definition, as its server builds it on a database: accounts on, no OAuth
  // providers. Only `load` reads this argument; the repositories serve `dependencies`, unused here.
  const app = blogApp(undefined, undefined, { providers: [] });
  await loadPageModules();
  const assets = loadClientAssets(join(BLOG, 'dist', 'client'), app.clientEntry);
  const locale = app.locales.defaultLocale;
  const tag = (rel, asset) =>
    `<link rel="${rel}" href="${escapeHtml(asset.href)}"${asset.integrity ? ` integrity="${asset.integrity}"` : ''} crossorigin="anonymous">`;
  const styles = assets.styles.map((css) => tag('stylesheet', css)).join('');
  const script = `<script type="module" src="${escapeHtml(assets.script.href)}" integrity="${assets.script.integrity}" crossorigin="anonymous"></script>`;
  const shells = new Map();
  /** The constant parts of a page kind's document, made on its first request. */
  const shellOf = (state) => {
    const key = `${state.page.route} ${state.locale}`;
    let shell = shells.get(key);
    if (!shell) {
      const modules = [app.pageModule(state)].flat();
      const lazy = new Map(modules.flatMap((m) => assets.lazyChunks(m)).map((chunk) => [chunk.href, chunk]));
      const preloads = [assets.script, ...assets.preloads, ...lazy.values()].map((js) => tag('modulepreload', js));
      shell = {
        start: `<!doctype html><html lang="${escapeHtml(state.locale)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`,
        assets: `${styles}${preloads.join('')}</head><body><div id="${APP_ELEMENT_ID}">`,
        state: `</div><script type="application/json" id="${STATE_ELEMENT_ID}">`,
        end: `</script>${script}</body></html>`,
      };
      shells.set(key, shell);
    }
    return shell;
  };

  const noDependencies = {};
  const contextOf = (request) => ({
    request,
    signal: undefined,
    csrfToken: () => {
      throw new Error('the minimal-SSR peer serves only pages without forms');
    },
    viewer: null,
    flash: () => undefined,
    locale,
  });
  const page = (destination, request, loaded) => {
    const { state, actions } = app.load({ ok: true, destination }, new URL(request.url, publicUrl), contextOf(request));
    let next = state;
    for (const action of [...actions, loaded]) [next] = app.reducer(next, action, noDependencies);
    const { head, body } = render(app.component, { props: { store: snapshotStore(next) } });
    const shell = shellOf(next);
    return Buffer.from(shell.start + head + shell.assets + body + shell.state + serialize(next) + shell.end);
  };

  return {
    home: (posts, request) =>
      page({ route: 'home', params: {}, query: {} }, request, { type: 'postsLoaded', posts, updatedAt: Date.now() }),
    post: (post, request) =>
      page({ route: 'post', params: { id: post.id }, query: {} }, request, {
        type: 'postLoaded',
        post,
        updatedAt: Date.now(),
      }),
  };
}
