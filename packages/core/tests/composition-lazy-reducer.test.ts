import { describe, expect, it } from 'vitest';
import { combine, createStore, createTestStore, Effect, lazyReducer, scope, type Reducer } from '../src/index.js';

type Form = { token: string | null; text: string; sent: number };
type FormAction =
  { type: 'tokenLoaded'; token: string } | { type: 'typed'; text: string } | { type: 'submitted' } | { type: 'sent' };

/** The feature that lives in a chunk of its own: its submit is an effect that answers with `sent`. */
const form: Reducer<Form, FormAction> = (state, action) => {
  switch (action.type) {
    case 'tokenLoaded':
      return [{ ...state, token: action.token }, Effect.none()];
    case 'typed':
      return [{ ...state, text: action.text }, Effect.none()];
    case 'submitted':
      return [state, Effect.run<FormAction>(async (dispatch) => dispatch({ type: 'sent' }))];
    case 'sent':
      return [{ ...state, text: '', sent: state.sent + 1 }, Effect.none()];
  }
};

type App = { page: string; form: Form };
type AppAction = { type: 'navigate'; page: string } | FormAction;
const initialState: App = { page: 'home', form: { token: null, text: '', sent: 0 } };

/** A module import as a bundler makes it, counted, and failing while `failing` is set. */
function chunk() {
  const counts = { imports: 0 };
  let failing = false;
  const source = async () => {
    counts.imports++;
    await Promise.resolve();
    if (failing) throw new Error('chunk failed to load');
    return { default: form };
  };
  return {
    counts,
    source,
    fail: (value: boolean) => {
      failing = value;
    },
  };
}

/** The app: the form scoped under `form`, then the pages, whose navigation to the form fetches a token. */
function app(feature: ReturnType<typeof lazyReducer<Form, FormAction>>) {
  const pages: Reducer<App, AppAction> = (state, action) => {
    if (action.type !== 'navigate') return [state, Effect.none()];
    // The answer is the feature's action, so the request awaits the feature's module too.
    const token = Effect.run<AppAction>(async (dispatch) => {
      const [value] = await Promise.all([Promise.resolve('t-1'), feature.load()]);
      dispatch({ type: 'tokenLoaded', token: value });
    });
    return [{ ...state, page: action.page }, action.page === 'form' ? token : Effect.none()];
  };
  return combine<App, AppAction, unknown>(
    scope<App, AppAction, Form, FormAction, unknown>({
      state: 'form',
      action: { embed: (action) => action, extract: (action) => (action.type === 'navigate' ? undefined : action) },
      reducer: feature.reducer,
    }),
    pages,
  );
}

describe('lazyReducer', () => {
  it('returns the state as it is and no effect until its module is in', () => {
    const feature = lazyReducer(chunk().source);
    const state = initialState.form;
    const [next, effect] = feature.reducer(state, { type: 'typed', text: 'hello' }, undefined);
    expect(next).toBe(state);
    expect(effect).toEqual(Effect.none());
  });

  it('is the loaded reducer afterwards: its state changes and its effects, whose actions it reduces', async () => {
    const feature = lazyReducer(chunk().source);
    await feature.load();
    const store = createStore<App, AppAction>({ initialState, reducer: app(feature) });
    store.dispatch({ type: 'typed', text: 'hello' });
    expect(store.state.form.text).toBe('hello');
    store.dispatch({ type: 'submitted' });
    await store.settled();
    expect(store.state.form).toEqual({ token: null, text: '', sent: 1 });
  });

  it('is brought in by the effect that answers it: the answer is reduced by the feature, in order', async () => {
    const feature = lazyReducer(chunk().source);
    const store = createTestStore<App, AppAction>({ initialState, reducer: app(feature) });
    // Not loaded yet: the feature leaves its actions alone.
    await store.send({ type: 'typed', text: 'too early' });
    await store.send({ type: 'navigate', page: 'form' }, (s) => ({ ...s, page: 'form' }));
    await store.receive({ type: 'tokenLoaded', token: 't-1' }, (s) => ({ ...s, form: { ...s.form, token: 't-1' } }));
    await store.send({ type: 'typed', text: 'now' }, (s) => ({ ...s, form: { ...s.form, text: 'now' } }));
    await store.finish();
  });

  it('imports its module once however many ask at once, and tries a failed import again', async () => {
    const { counts, source, fail } = chunk();
    const feature = lazyReducer(source);
    fail(true);
    await expect(Promise.all([feature.load(), feature.load()])).rejects.toThrow('chunk failed to load');
    expect(counts.imports).toBe(1);
    expect(feature.reducer(initialState.form, { type: 'typed', text: 'x' }, undefined)[0]).toBe(initialState.form);
    fail(false);
    await Promise.all([feature.load(), feature.load(), feature.load()]);
    await feature.load();
    expect(counts.imports).toBe(2);
    expect(feature.reducer(initialState.form, { type: 'typed', text: 'x' }, undefined)[0].text).toBe('x');
  });
});
