import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { combine, createStore, Effect, scope, type Reducer } from '../src/index.js';

// Under Node, `svelte` and `svelte/reactivity` resolve to their server builds, where nothing is
// tracked. This test runs the binding on Svelte's client runtime, as a browser bundle would.
const svelteRoot = dirname(createRequire(import.meta.url).resolve('svelte/package.json'));
const clientModule = (path: string) => import(pathToFileURL(join(svelteRoot, 'src', path)).href);
vi.mock('svelte', () => clientModule('index-client.js'));
vi.mock('svelte/reactivity', () => clientModule('reactivity/index-client.js'));

/** The parts of Svelte's compiled-component runtime this test drives by hand. */
interface SvelteClientRuntime {
  effect_root(fn: () => void): () => void;
  render_effect(fn: () => void): void;
  flush(): void;
}

type Counter = { count: number };
type CounterAction = { type: 'increment' };
type App = { left: Counter; right: Counter };
type AppAction = { type: 'left'; action: CounterAction } | { type: 'right'; action: CounterAction };
const counter: Reducer<Counter, CounterAction> = (state) => [{ count: state.count + 1 }, Effect.none()];
const app = combine<App, AppAction, unknown>(
  scope({ state: 'left', action: 'left', reducer: counter }),
  scope({ state: 'right', action: 'right', reducer: counter }),
);

describe('the Svelte binding with scoped stores', () => {
  it('re-runs what reads a scoped store only when that scope’s state changed', async () => {
    const { reactive } = await import('../src/svelte/index.js');
    const $ = (await clientModule('internal/client/index.js')) as SvelteClientRuntime;
    const store = reactive(createStore({ initialState: { left: { count: 0 }, right: { count: 0 } }, reducer: app }));
    const left = store.scope(
      (state) => state.left,
      (action: CounterAction): AppAction => ({ type: 'left', action }),
    );
    const renders: number[] = [];
    const everything: number[] = [];
    const stop = $.effect_root(() => {
      $.render_effect(() => {
        renders.push(left.state.count);
      });
      $.render_effect(() => {
        everything.push(store.state.left.count + store.state.right.count);
      });
    });
    $.flush();
    store.dispatch({ type: 'right', action: { type: 'increment' } });
    $.flush();
    store.dispatch({ type: 'right', action: { type: 'increment' } });
    $.flush();
    left.dispatch({ type: 'increment' });
    $.flush();
    stop();
    expect(renders).toEqual([0, 1]);
    expect(everything).toEqual([0, 1, 2, 3]);
  });
});
