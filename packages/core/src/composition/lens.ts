import { DEV } from 'esm-env';

/** Where a child's state lives inside its parent: a key of the parent, or an explicit lens. */
export type StateLens<PS, CS> = { readonly get: (parent: PS) => CS; readonly set: (parent: PS, child: CS) => PS };

export type StateSelector<PS, CS> = keyof PS | StateLens<PS, CS>;

export function toLens<PS, CS>(selector: StateSelector<PS, CS>): StateLens<PS, CS> {
  if (typeof selector === 'object' && selector !== null) return selector;
  const key = selector as keyof PS;
  return {
    get: (parent) => parent[key] as unknown as CS,
    set: (parent, child) => ({ ...parent, [key]: child }),
  };
}

// esm-env's DEV is a constant a bundler resolves per build (the "production" export condition gives
// false). Callers also test it before building the message, so production bundles drop the text too.
export function devWarn(message: string): void {
  if (DEV) console.warn(`[composable-svelte] ${message}`);
}
