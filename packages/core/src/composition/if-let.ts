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
  /**
   * The reducer of the feature that holds the optional child (TCA's `Reduce { … }.ifLet(…)`). It
   * runs after the child's reducer; when it sets the child to null or undefined, the child's
   * effects are cancelled.
   */
  readonly parent?: Reducer<PS, PA, D>;
}

let instances = 0;

/**
 * A child feature that may be absent (a detail panel, a modal). Its actions are ignored while the
 * state is absent — usually a late response for something the user already closed — with a
 * development warning because it can also be a bug.
 */
export function ifLet<PS, PA, CS, CA, D>(config: IfLetConfig<PS, PA, CS, CA, D>): Reducer<PS, PA, D> {
  const lens = toLens(config.state);
  const prism = toPrism(config.action);
  // The child's effects run under an id of their own, so dismissing the child can cancel them.
  const effectsId = `composable-svelte/ifLet#${++instances}`;
  const child: Reducer<PS, PA, D> = (state, action, dependencies) => {
    const childAction = prism.extract(action);
    if (childAction === undefined) return [state, Effect.none()];
    const present = lens.get(state);
    if (present === null || present === undefined) {
      if (DEV)
        devWarn(`ifLet received an action while its state is absent; the action was ignored: ${describe(childAction)}`);
      return [state, Effect.none()];
    }
    const [next, effect] = config.reducer(present, childAction, dependencies);
    return [
      Object.is(next, present) ? state : lens.set(state, next),
      Effect.cancellable(effectsId, Effect.map(effect, prism.embed), { cancelInFlight: false }),
    ];
  };
  const parent = config.parent;
  if (!parent) return child;
  return (state, action, dependencies) => {
    const [afterChild, childEffect] = child(state, action, dependencies);
    const [next, parentEffect] = parent(afterChild, action, dependencies);
    const dismissed = lens.get(state) != null && lens.get(next) == null;
    return [next, Effect.batch(childEffect, parentEffect, dismissed ? Effect.cancel(effectsId) : Effect.none())];
  };
}

export function describe(action: unknown): string {
  const type = (action as { type?: unknown })?.type;
  return typeof type === 'string' ? `"${type}"` : String(action);
}
