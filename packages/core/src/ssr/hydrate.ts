import { createStore } from '../store/create-store.js';
import type { Store, StoreConfig } from '../store/types.js';
import { parseState } from './parse.js';

/** The id of the `<script type="application/json">` element that carries the server's state. */
export const STATE_ELEMENT_ID = 'composable-state';

export type HydrateConfig<S, A, D> = Omit<StoreConfig<S, A, D>, 'initialState'>;

/** Rebuilds the store the server rendered, from the serialized state text. */
export function hydrateStore<S, A, D = unknown>(serialized: string, config: HydrateConfig<S, A, D>): Store<S, A> {
  return createStore({ ...config, initialState: parseState<S>(serialized) });
}

/** Reads the serialized state the server embedded in the document. */
export function readSerializedState(doc: Pick<Document, 'getElementById'> = document, id = STATE_ELEMENT_ID): string {
  const element = doc.getElementById(id);
  if (!element) {
    throw new Error(`No element with id "${id}" carries the server state; was this page rendered by the server?`);
  }
  return element.textContent ?? '';
}
