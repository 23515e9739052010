import { FrameworkError } from '../errors/framework-error.js';

export class StoreSettleTimeoutError extends FrameworkError {
  readonly timeoutMs: number;
  readonly inFlight: number;

  constructor(timeoutMs: number, inFlight: number) {
    super(
      'CS1004',
      `Store did not settle within ${timeoutMs} ms: ${inFlight} effect${inFlight === 1 ? ' is' : 's are'} still in flight`,
      "an effect the page awaits never finished: give slow calls a timeout and pass them the request's AbortSignal (context.signal), load what is not needed for the first paint in the browser instead, or raise SSR_TIMEOUT_MS",
    );
    this.name = 'StoreSettleTimeoutError';
    this.timeoutMs = timeoutMs;
    this.inFlight = inFlight;
  }
}

/** A reducer returned nothing (or no state) for an action: usually a `switch` branch without a return. */
export class ReducerResultError extends FrameworkError {
  readonly action: string;

  constructor(action: string) {
    super(
      'CS1002',
      `Reducer returned no state for action "${action}"`,
      'return [state, effect] from every branch of the reducer, e.g. `return [state, Effect.none()]` for actions it ignores',
    );
    this.name = 'ReducerResultError';
    this.action = action;
  }
}
