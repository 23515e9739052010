import { DEV } from 'esm-env';
import { Effect } from '../effect/effect.js';
import type { Reducer } from '../store/types.js';
import { devWarn, toLens, type StateSelector } from './lens.js';
import { toPrism, type ActionPrism } from './scope.js';

export interface IfLetConfig<PS, PA, CS, CA, D> {
  /** The optional child state: absent when null or undefined. */
  readonly state: StateSelector<PS, CS | null | undefined>;
  readonly action: string | ActionPrism<PA, CA>;
  readonly reducer: Reducer<CS, CA, D>;
}

/**
 * A child feature that may be absent (a detail panel, a modal). Its actions are ignored while the
 * state is absent — usually a late response for something the user already closed — with a
 * development warning because it can also be a bug.
 */
export function ifLet<PS, PA, CS, CA, D>(config: IfLetConfig<PS, PA, CS, CA, D>): Reducer<PS, PA, D> {
  const lens = toLens(config.state);
  const prism = toPrism(config.action);
  return (state, action, dependencies) => {
    const childAction = prism.extract(action);
    if (childAction === undefined) return [state, Effect.none()];
    const child = lens.get(state);
    if (child === null || child === undefined) {
      if (DEV)
        devWarn(`ifLet received an action while its state is absent; the action was ignored: ${describe(childAction)}`);
      return [state, Effect.none()];
    }
    const [next, effect] = config.reducer(child, childAction, dependencies);
    return [Object.is(next, child) ? state : lens.set(state, next), Effect.map(effect, prism.embed)];
  };
}

export function describe(action: unknown): string {
  const type = (action as { type?: unknown })?.type;
  return typeof type === 'string' ? `"${type}"` : String(action);
}
