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

/**
 * A collection of child features addressed by id. Effects of an element dispatch back to that same
 * element by id, so reordering or removing elements never sends a response to the wrong one.
 */
export function forEach<PS, PA, CS, CA, D>(config: ForEachConfig<PS, PA, CS, CA, D>): Reducer<PS, PA, D> {
  const lens = toLens(config.state);
  const prism = typeof config.action === 'string' ? elementPrism<PA, CA>(config.action) : config.action;
  const idOf = config.id ?? ((element: CS) => (element as { id: ElementId }).id);
  return (state, action, dependencies) => {
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
    const effectOut = Effect.map(effect, (child: CA) => prism.embed(id, child));
    if (Object.is(next, element)) return [state, effectOut];
    const updated = elements.slice();
    updated[index] = next;
    return [lens.set(state, updated), effectOut];
  };
}
