import { Effect } from '../effect/effect.js';
import type { Reducer } from '../store/types.js';
import { toLens, type StateSelector } from './lens.js';

/** How a child's actions travel inside the parent's action type. */
export interface ActionPrism<PA, CA> {
  readonly embed: (child: CA) => PA;
  readonly extract: (parent: PA) => CA | undefined;
}

/**
 * A parent action that carries a child action: `{ type: 'counter', action: CounterAction }`.
 * Passing a string as `action` to scope/ifLet uses this shape.
 */
export interface Embedded<T extends string, CA> {
  readonly type: T;
  readonly action: CA;
}

export function embedded<PA, CA>(type: string): ActionPrism<PA, CA> {
  return {
    embed: (action) => ({ type, action }) as PA,
    extract: (parent) => {
      const candidate = parent as { type?: unknown; action?: CA };
      return candidate?.type === type ? candidate.action : undefined;
    },
  };
}

export function toPrism<PA, CA>(action: string | ActionPrism<PA, CA>): ActionPrism<PA, CA> {
  return typeof action === 'string' ? embedded<PA, CA>(action) : action;
}

export interface ScopeConfig<PS, PA, CS, CA, D> {
  readonly state: StateSelector<PS, CS>;
  readonly action: string | ActionPrism<PA, CA>;
  readonly reducer: Reducer<CS, CA, D>;
}

/**
 * Runs a child feature inside a parent: the child's reducer sees only its slice and its actions,
 * and its effects dispatch parent actions. Parent actions that are not the child's are ignored.
 */
export function scope<PS, PA, CS, CA, D>(config: ScopeConfig<PS, PA, CS, CA, D>): Reducer<PS, PA, D> {
  const lens = toLens(config.state);
  const prism = toPrism(config.action);
  return (state, action, dependencies) => {
    const childAction = prism.extract(action);
    if (childAction === undefined) return [state, Effect.none()];
    const [childState, effect] = config.reducer(lens.get(state), childAction, dependencies);
    const next = Object.is(childState, lens.get(state)) ? state : lens.set(state, childState);
    return [next, Effect.map(effect, prism.embed)];
  };
}
