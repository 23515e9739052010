/** What the metrics hook (`onEvent`) is told. `route` is the route URL, or '*' for the global limit. */
export interface RateLimitEvent {
  readonly type: 'rejected' | 'backend-error' | 'backend-recovered';
  readonly route: string;
  readonly key?: string;
}
