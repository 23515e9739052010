import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createStore,
  Effect,
  ERROR_CODES,
  FrameworkError,
  ReducerResultError,
  StoreSettleTimeoutError,
  type Reducer,
} from '../src/index.js';
import { createRouter, route, RouteDefinitionError } from '../src/routing/index.js';
import { serializeState, type StateSerializationError } from '../src/ssr/index.js';

const docs = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
const documented = [...docs.matchAll(/^## (CS\d{4})$/gm)].map((match) => match[1]);

describe('error codes', () => {
  it('every code in the registry has its section in docs/errors.md, and every section a code', () => {
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it('a framework error says what happened, what to do and where to read more', () => {
    const error = new StoreSettleTimeoutError(50, 2);
    expect(error).toBeInstanceOf(FrameworkError);
    expect(error.code).toBe('CS1004');
    expect(error.message).toBe(
      `error[CS1004]: Store did not settle within 50 ms: 2 effects are still in flight\n  help: ${error.help}\n  docs: docs/errors.md#cs1004`,
    );
    expect(error.title).toBe('Effects did not settle before the SSR deadline');
  });

  it('CS1001: a path param without a decoder is found when the route table is built', () => {
    const build = () => createRouter({ post: route('/posts/:id' as string as '/posts') });
    expect(build).toThrow(RouteDefinitionError);
    expect(build).toThrow(
      /^error\[CS1001\]: Bad route definition: route\("\/posts\/:id"\): no decoder for :id\n {2}help: /,
    );
  });

  it('CS1002: a reducer that returns nothing leaves the state as it was and names the action', () => {
    type Action = { type: 'known' } | { type: 'forgotten' };
    const reducer = ((state: number, action: Action) => {
      if (action.type === 'known') return [state + 1, Effect.none()];
    }) as Reducer<number, Action>;
    const store = createStore({ initialState: 0, reducer });
    store.dispatch({ type: 'known' });
    expect(() => store.dispatch({ type: 'forgotten' })).toThrow(ReducerResultError);
    expect(() => store.dispatch({ type: 'forgotten' })).toThrow(
      /^error\[CS1002\]: Reducer returned no state for action "forgotten"/,
    );
    expect(store.state).toBe(1);
  });

  it('CS1003: state that is not JSON data', () => {
    const error = (() => {
      try {
        serializeState({ posts: [{ at: new Date(0) }] });
      } catch (caught) {
        return caught as StateSerializationError;
      }
    })();
    expect(error?.code).toBe('CS1003');
    expect(error?.message).toMatch(/^error\[CS1003\]: Cannot serialize state at state\.posts\[0\]\.at: /);
  });
});
