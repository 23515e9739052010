export class StoreSettleTimeoutError extends Error {
  readonly timeoutMs: number;
  readonly inFlight: number;

  constructor(timeoutMs: number, inFlight: number) {
    super(
      `Store did not settle within ${timeoutMs} ms: ${inFlight} effect${inFlight === 1 ? ' is' : 's are'} still in flight`,
    );
    this.name = 'StoreSettleTimeoutError';
    this.timeoutMs = timeoutMs;
    this.inFlight = inFlight;
  }
}
