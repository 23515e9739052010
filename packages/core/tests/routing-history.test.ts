import { describe, expect, it } from 'vitest';
import {
  createRouter,
  param,
  route,
  syncHistory,
  type DestinationOf,
  type HistoryWindow,
  type ParseResult,
} from '../src/routing/index.js';

const router = createRouter({
  home: route('/'),
  post: route('/posts/:id', { params: { id: param.int({ min: 1 }) } }),
  missing: route('/404'),
});
type Destination = DestinationOf<typeof router>;
type State = { destination: Destination };
type Action = { type: 'navigate'; destination: Destination } | { type: 'urlChanged'; result: ParseResult<Destination> };

/** A window whose history is a list of entries, with back() firing popstate like a browser. */
function fakeWindow(initial: string) {
  const entries = [initial];
  let index = 0;
  const listeners = new Set<() => void>();
  const calls: string[] = [];
  const location = { pathname: '', search: '' };
  const show = () => {
    const url = new URL(entries[index]!, 'https://example.com');
    location.pathname = url.pathname;
    location.search = url.search;
  };
  show();
  const win: HistoryWindow = {
    location,
    history: {
      state: null,
      pushState(_data, _unused, url) {
        calls.push(`push ${url}`);
        entries.splice(index + 1, Infinity, String(url));
        index++;
        show();
      },
      replaceState(_data, _unused, url) {
        calls.push(`replace ${url}`);
        entries[index] = String(url);
        show();
      },
    },
    addEventListener(type, listener) {
      expect(type).toBe('popstate');
      listeners.add(listener);
    },
    removeEventListener(type, listener) {
      expect(type).toBe('popstate');
      listeners.delete(listener);
    },
  };
  const go = (delta: number) => {
    index += delta;
    show();
    for (const listener of [...listeners]) listener();
  };
  return { win, calls, entries: () => entries.slice(), listeners, back: () => go(-1), forward: () => go(1) };
}

/** The smallest store honouring the contract: subscribe calls back at once, then on each change. */
function fakeStore(initial: State, reduce: (state: State, action: Action) => State) {
  let state = initial;
  const listeners = new Set<(s: State) => void>();
  const dispatched: Action[] = [];
  return {
    dispatched,
    get listenerCount() {
      return listeners.size;
    },
    subscribe(listener: (s: State) => void) {
      listeners.add(listener);
      listener(state);
      return () => void listeners.delete(listener);
    },
    dispatch(action: Action) {
      dispatched.push(action);
      const next = reduce(state, action);
      if (next === state) return;
      state = next;
      for (const listener of [...listeners]) listener(state);
    },
  };
}

const notFound: Destination = { route: 'missing', params: {}, query: {} };
const reduce = (state: State, action: Action): State => {
  if (action.type === 'navigate') return { destination: action.destination };
  return { destination: action.result.ok ? action.result.destination : notFound };
};
const post = (id: number): Destination => ({ route: 'post', params: { id }, query: {} });
const home: Destination = { route: 'home', params: {}, query: {} };

function setup(url: string, initial: Destination) {
  const fake = fakeWindow(url);
  const store = fakeStore({ destination: initial }, reduce);
  const stop = syncHistory({
    router,
    store,
    window: fake.win,
    select: (state) => router.href(state.destination),
    onUrlChange: (result): Action => ({ type: 'urlChanged', result }),
  });
  return { ...fake, store, stop };
}

describe('syncHistory', () => {
  it('does not touch history on the first call when the URL already matches', () => {
    const { calls } = setup('/posts/1', post(1));
    expect(calls).toEqual([]);
  });

  it('corrects a differing first URL with replaceState, never pushState', () => {
    const { calls, entries } = setup('/posts/1/', post(1));
    expect(calls).toEqual(['replace /posts/1']);
    expect(entries()).toEqual(['/posts/1']);
  });

  it('pushes an entry when the state moves to another URL, and not when it stays', () => {
    const { calls, store, entries } = setup('/', home);
    store.dispatch({ type: 'navigate', destination: post(2) });
    store.dispatch({ type: 'navigate', destination: post(2) });
    store.dispatch({ type: 'navigate', destination: post(3) });
    expect(calls).toEqual(['push /posts/2', 'push /posts/3']);
    expect(entries()).toEqual(['/', '/posts/2', '/posts/3']);
  });

  it('on back/forward dispatches the parsed URL and does not push', () => {
    const { calls, store, back, forward } = setup('/', home);
    store.dispatch({ type: 'navigate', destination: post(2) });
    calls.length = 0;

    back();
    expect(store.dispatched.at(-1)).toEqual({ type: 'urlChanged', result: { ok: true, destination: home } });
    forward();
    expect(store.dispatched.at(-1)).toEqual({ type: 'urlChanged', result: { ok: true, destination: post(2) } });
    expect(calls).toEqual([]);
  });

  it('passes failed parses and the URL to onUrlChange', () => {
    const fake = fakeWindow('/');
    const store = fakeStore({ destination: home }, reduce);
    const seen: [ParseResult<Destination>, string][] = [];
    syncHistory({
      router,
      store,
      window: fake.win,
      select: (state) => router.href(state.destination),
      onUrlChange: (result, url): Action => {
        seen.push([result, url]);
        return { type: 'urlChanged', result };
      },
    });
    fake.win.history.pushState({}, '', '/posts/0?x=1');
    fake.win.history.pushState({}, '', '/elsewhere');
    fake.back();
    expect(seen).toEqual([
      [
        { ok: false, reason: 'bad-param', route: 'post', errors: [{ path: 'params.id', message: 'must be ≥ 1' }] },
        '/posts/0?x=1',
      ],
    ]);
  });

  it('replaces rather than pushes when a popstate leads to a different URL (a redirect)', () => {
    const { calls, entries, win, back } = setup('/', home);
    win.history.pushState({}, '', '/nowhere');
    win.history.pushState({}, '', '/posts/5');
    calls.length = 0;
    back();
    expect(calls).toEqual(['replace /404']);
    expect(entries()).toEqual(['/', '/404', '/posts/5']);
  });

  it('does not push again when the browser normalises the URL it was given', () => {
    const fake = fakeWindow('/');
    const store = fakeStore({ destination: home }, reduce);
    syncHistory({
      router,
      store,
      window: fake.win,
      // The fake window (like a browser) escapes the space, so location never equals this string.
      select: (state) => (state.destination.route === 'post' ? '/posts/a b' : '/'),
      onUrlChange: (result): Action => ({ type: 'urlChanged', result }),
    });
    store.dispatch({ type: 'navigate', destination: post(2) });
    store.dispatch({ type: 'navigate', destination: post(3) });
    expect(fake.calls).toEqual(['push /posts/a b']);
  });

  it('leaves the address bar alone when select returns null', () => {
    const fake = fakeWindow('/whatever');
    const store = fakeStore({ destination: home }, reduce);
    syncHistory({
      router,
      store,
      window: fake.win,
      select: () => null,
      onUrlChange: (result): Action => ({ type: 'urlChanged', result }),
    });
    store.dispatch({ type: 'navigate', destination: post(2) });
    expect(fake.calls).toEqual([]);
  });

  it('stop() removes the listener and the subscription, and nothing happens afterwards', () => {
    const { calls, store, stop, listeners, back, win } = setup('/', home);
    expect(listeners.size).toBe(1);
    expect(store.listenerCount).toBe(1);
    store.dispatch({ type: 'navigate', destination: post(2) });

    stop();
    expect(listeners.size).toBe(0);
    expect(store.listenerCount).toBe(0);
    const dispatchedBefore = store.dispatched.length;
    store.dispatch({ type: 'navigate', destination: post(3) });
    win.history.pushState({}, '', '/posts/9');
    calls.length = 0;
    back();
    expect(calls).toEqual([]);
    expect(store.dispatched.length).toBe(dispatchedBefore + 1);
    stop();
  });

  it('does not leak listeners across many start/stop cycles', () => {
    const fake = fakeWindow('/');
    const store = fakeStore({ destination: home }, reduce);
    for (let i = 0; i < 50; i++) {
      const stop = syncHistory({
        router,
        store,
        window: fake.win,
        select: (state) => router.href(state.destination),
        onUrlChange: (result): Action => ({ type: 'urlChanged', result }),
      });
      stop();
    }
    expect(fake.listeners.size).toBe(0);
    expect(store.listenerCount).toBe(0);
  });

  it('removes its popstate listener if subscribing throws', () => {
    const fake = fakeWindow('/');
    const store = {
      subscribe: (): (() => void) => {
        throw new Error('no');
      },
      dispatch: () => {},
    };
    expect(() => syncHistory({ router, store, window: fake.win, select: () => '/', onUrlChange: () => ({}) })).toThrow(
      'no',
    );
    expect(fake.listeners.size).toBe(0);
  });

  it('needs a window outside the browser', () => {
    const store = fakeStore({ destination: home }, reduce);
    expect(() =>
      syncHistory({
        router,
        store,
        select: () => '/',
        onUrlChange: (result): Action => ({ type: 'urlChanged', result }),
      }),
    ).toThrow(/no window/);
  });

  it('accepts a real Window type', () => {
    // Compile-time check: the minimal interface must not exclude the DOM's Window.
    const asHistoryWindow = (w: Window): HistoryWindow => w;
    expect(typeof asHistoryWindow).toBe('function');
  });
});

describe('syncHistory under a base path', () => {
  const based = createRouter(router.table, { base: '/blog' });

  function setupBased(url: string, initial: Destination) {
    const fake = fakeWindow(url);
    const store = fakeStore({ destination: initial }, reduce);
    const stop = syncHistory({
      router: based,
      store,
      window: fake.win,
      select: (state) => based.href(state.destination),
      onUrlChange: (result): Action => ({ type: 'urlChanged', result }),
    });
    return { ...fake, store, stop };
  }

  it('writes URLs with the base and leaves a matching first URL alone', () => {
    const { calls, store, entries } = setupBased('/blog/posts/1', post(1));
    expect(calls).toEqual([]);
    store.dispatch({ type: 'navigate', destination: home });
    store.dispatch({ type: 'navigate', destination: post(2) });
    expect(calls).toEqual(['push /blog', 'push /blog/posts/2']);
    expect(entries()).toEqual(['/blog/posts/1', '/blog', '/blog/posts/2']);
  });

  it('turns back and forward into destinations parsed below the base', () => {
    const { store, back, forward } = setupBased('/blog/posts/1', post(1));
    store.dispatch({ type: 'navigate', destination: post(2) });
    back();
    expect(store.dispatched.at(-1)).toEqual({ type: 'urlChanged', result: { ok: true, destination: post(1) } });
    forward();
    expect(store.dispatched.at(-1)).toEqual({ type: 'urlChanged', result: { ok: true, destination: post(2) } });
  });
});
