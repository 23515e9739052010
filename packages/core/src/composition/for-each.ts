import { DEV } from 'esm-env';
import { Effect } from '../effect/effect.js';
import type { Reducer } from '../store/types.js';
import { describe } from './if-let.js';
import { devWarn, toLens, type StateSelector } from './lens.js';

export type ElementId = string | number;

/** How an element's action travels in the parent: `{ type, id, action }` by default. */
export interface ElementPrism<PA, CA> {
  readonly embed: (id: ElementId, child: CA) => PA;
  readonly extract: (parent: PA) => { readonly id: ElementId; readonly action: CA } | undefined;
}

export interface ForEachConfig<PS, PA, CS, CA, D> {
  readonly state: StateSelector<PS, readonly CS[]>;
  readonly action: string | ElementPrism<PA, CA>;
  /** Identity of an element; defaults to its `id` property. */
  readonly id?: (element: CS) => ElementId;
  readonly reducer: Reducer<CS, CA, D>;
  /**
   * The reducer of the feature that holds the collection (TCA's `Reduce { … }.forEach(…)`). It runs
   * after the element's reducer; when it removes an element, that element's effects are cancelled.
   */
  readonly parent?: Reducer<PS, PA, D>;
}

function elementPrism<PA, CA>(type: string): ElementPrism<PA, CA> {
  return {
    embed: (id, action) => ({ type, id, action }) as PA,
    extract: (parent) => {
      const candidate = parent as { type?: unknown; id?: ElementId; action?: CA };
      if (candidate?.type !== type || candidate.id === undefined) return undefined;
      return { id: candidate.id, action: candidate.action as CA };
    },
  };
}

let instances = 0;

/**
 * A collection of child features addressed by id. Effects of an element dispatch back to that same
 * element by id, so reordering or removing elements never sends a response to the wrong one.
 */
export function forEach<PS, PA, CS, CA, D>(config: ForEachConfig<PS, PA, CS, CA, D>): Reducer<PS, PA, D> {
  const lens = toLens(config.state);
  const prism = typeof config.action === 'string' ? elementPrism<PA, CA>(config.action) : config.action;
  const idOf = config.id ?? ((element: CS) => (element as { id: ElementId }).id);
  // Every element's effects run under an id of their own, so removing the element can cancel them.
  const tag = `composable-svelte/forEach#${++instances}/`;
  const effectsOf = (id: ElementId) => `${tag}${typeof id}:${String(id)}`;
  const element: Reducer<PS, PA, D> = (state, action, dependencies) => {
    const extracted = prism.extract(action);
    if (!extracted) return [state, Effect.none()];
    const elements = lens.get(state);
    const index = elements.findIndex((element) => idOf(element) === extracted.id);
    if (index === -1) {
      if (DEV)
        devWarn(
          `forEach received an action for element ${JSON.stringify(extracted.id)}, which is not in the collection; ` +
            `the action was ignored: ${describe(extracted.action)}`,
        );
      return [state, Effect.none()];
    }
    const element = elements[index]!;
    const [next, effect] = config.reducer(element, extracted.action, dependencies);
    const id = extracted.id;
    const effectOut = Effect.cancellable(
      effectsOf(id),
      Effect.map(effect, (child: CA) => prism.embed(id, child)),
      { cancelInFlight: false },
    );
    if (Object.is(next, element)) return [state, effectOut];
    const updated = elements.slice();
    updated[index] = next;
    return [lens.set(state, updated), effectOut];
  };
  const parent = config.parent;
  if (!parent) return element;
  return (state, action, dependencies) => {
    const [afterElement, elementEffect] = element(state, action, dependencies);
    const [next, parentEffect] = parent(afterElement, action, dependencies);
    const removed = removedIds(lens.get(state), lens.get(next), idOf);
    return [next, Effect.batch(elementEffect, parentEffect, ...removed.map((id) => Effect.cancel(effectsOf(id))))];
  };
}

function removedIds<CS>(before: readonly CS[], after: readonly CS[], idOf: (element: CS) => ElementId): ElementId[] {
  if (Object.is(before, after)) return [];
  const kept = new Set(after.map(idOf));
  return before.map(idOf).filter((id) => !kept.has(id));
}
