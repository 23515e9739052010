/**
 * Something that can be cancelled as a whole: the store's root or the work under one cancellation
 * id. Each unit of work registers with every scope it runs in and forgets them when it ends.
 * Written instead of linking AbortSignals (AbortSignal.any, or an 'abort' listener per effect on
 * a shared parent signal) because a signal with more than ten listeners makes Node print
 * MaxListenersExceededWarning, and because finished work must detach in O(1).
 */
export class CancelScope {
  private readonly listeners = new Set<(reason: unknown) => void>();
  cancelled = false;

  /** Calls `listener` once when this scope is cancelled; returns a function that forgets it. */
  onCancel(listener: (reason: unknown) => void): () => void {
    if (this.cancelled) {
      listener(CANCELLED);
      return noop;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  cancel(reason: unknown): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.cancelChildren(reason);
  }

  /** Cancels everything registered so far but stays usable (the store's root after skipInFlightEffects). */
  cancelChildren(reason: unknown): void {
    const listeners = [...this.listeners];
    this.listeners.clear();
    for (const listener of listeners) listener(reason);
  }
}

const noop = () => {};

/**
 * Shared abort reasons. One DOMException per kind, made once: cancelling must not cost a stack
 * trace per effect or per request (a server destroys a store for every page it renders).
 */
export const CANCELLED: unknown = abortReason('The effect was cancelled');
export const REPLACED: unknown = abortReason('The effect was replaced by a newer one with the same id');
export const DESTROYED: unknown = abortReason('The store was destroyed');

function abortReason(message: string): unknown {
  return typeof DOMException === 'function'
    ? new DOMException(message, 'AbortError')
    : Object.assign(new Error(message), { name: 'AbortError' });
}
