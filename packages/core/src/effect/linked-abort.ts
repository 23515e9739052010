/**
 * An AbortController that also aborts when `parent` does. Written by hand rather than with
 * AbortSignal.any() because every effect creates one: the link must be removable the moment the
 * effect ends, or long-lived stores accumulate listeners on their root signal.
 */
export interface LinkedAbort {
  readonly controller: AbortController;
  readonly signal: AbortSignal;
  /** Detaches from the parent without aborting. */
  dispose(): void;
}

export function linkedAbort(parent: AbortSignal): LinkedAbort {
  const controller = new AbortController();
  if (parent.aborted) {
    controller.abort(parent.reason);
    return { controller, signal: controller.signal, dispose: () => {} };
  }
  const onParentAbort = () => controller.abort(parent.reason);
  parent.addEventListener('abort', onParentAbort, { once: true });
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    parent.removeEventListener('abort', onParentAbort);
  };
  controller.signal.addEventListener('abort', dispose, { once: true });
  return { controller, signal: controller.signal, dispose };
}
