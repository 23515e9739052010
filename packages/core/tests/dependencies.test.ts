import { describe, expect, it } from 'vitest';
import {
  createStore,
  createTestStore,
  Effect,
  incrementingUuid,
  seededRandom,
  type Dependencies,
  type Reducer,
} from '../src/index.js';

type State = { ids: string[]; roll: number | null };
type Action = { type: 'add' } | { type: 'roll' } | { type: 'load' } | { type: 'loaded'; status: number };

const reducer: Reducer<State, Action, Dependencies> = (state, action, { uuid, random, fetch }) => {
  switch (action.type) {
    case 'add':
      return [{ ...state, ids: [...state.ids, uuid()] }, Effect.none()];
    case 'roll':
      return [{ ...state, roll: random() }, Effect.none()];
    case 'load':
      return [
        state,
        Effect.run<Action>(async (dispatch) => {
          const response = await fetch('https://example.invalid/');
          dispatch({ type: 'loaded', status: response.status });
        }),
      ];
    case 'loaded':
      return [state, Effect.none()];
  }
};

const initialState: State = { ids: [], roll: null };

describe('dependencies', () => {
  it('a store gets live values for the built-in dependencies it was not given', () => {
    const store = createStore({ initialState, reducer });
    store.dispatch({ type: 'add' });
    store.dispatch({ type: 'roll' });
    expect(store.state.ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(store.state.roll).toBeGreaterThanOrEqual(0);
    expect(store.state.roll).toBeLessThan(1);
  });

  it('a TestStore fails loudly when a test uses uuid, random or fetch without overriding it', async () => {
    await expect(createTestStore({ initialState, reducer }).send({ type: 'add' })).rejects.toThrow(
      /Unimplemented dependency "uuid".*incrementingUuid/,
    );
    await expect(createTestStore({ initialState, reducer }).send({ type: 'roll' })).rejects.toThrow(
      /Unimplemented dependency "random"/,
    );
    await expect(createTestStore({ initialState, reducer }).send({ type: 'load' })).rejects.toThrow(
      /Unimplemented dependency "fetch"/,
    );
  });

  it('fails even when the code under test catches the unimplemented error', async () => {
    const swallowing: Reducer<State, Action, Dependencies> = (state, _action, { uuid }) => {
      try {
        uuid();
      } catch {
        // The feature hides the failure; the TestStore must not.
      }
      return [state, Effect.none()];
    };
    await expect(createTestStore({ initialState, reducer: swallowing }).send({ type: 'add' })).rejects.toThrow(
      /Unimplemented dependency "uuid"/,
    );
  });

  it('a TestStore takes overrides: predictable ids, a repeatable random sequence, a fake fetch', async () => {
    const random = seededRandom(7);
    const expected = seededRandom(7)();
    const store = createTestStore({
      initialState,
      reducer,
      dependencies: {
        uuid: incrementingUuid(),
        random,
        fetch: async () => new Response(null, { status: 204 }),
      },
    });
    await store.send({ type: 'add' }, { ids: ['00000000-0000-4000-8000-000000000000'] });
    await store.send({ type: 'add' }, (s) => {
      s.ids.push('00000000-0000-4000-8000-000000000001');
    });
    await store.send({ type: 'roll' }, { roll: expected });
    await store.send({ type: 'load' });
    await store.receive({ type: 'loaded', status: 204 });
    await store.finish();
  });
});
