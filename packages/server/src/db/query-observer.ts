/** What the database reports of each statement it ran, for metrics and the slow-query log. */
export interface QueryEvent {
  /** A short, bounded name for the statement: its verb and first table, e.g. `select posts`. */
  readonly statement: string;
  readonly durationMs: number;
  readonly error?: unknown;
}

export type QueryObserver = (event: QueryEvent) => void;

const SHAPE =
  /^\s*(select|insert\s+into|update|delete\s+from|with|begin|commit|rollback|set|create|alter|drop|lock\s+table)\b/i;
const TABLE = /\b(?:from|into|update|table|join)\s+(?:"?\w+"?\.)?"?(\w+)"?/i;

/**
 * Drizzle parameterises values, so statements repeat; still, full SQL would make one metric label
 * per query shape and megabytes of labels. Verb plus first table is bounded by the schema's size.
 */
export function statementName(text: string): string {
  const verb = SHAPE.exec(text)?.[1]?.toLowerCase().replace(/\s+/g, ' ');
  if (verb === undefined) return 'other';
  const table = TABLE.exec(text)?.[1];
  return table === undefined ? verb.split(' ')[0]! : `${verb.split(' ')[0]} ${table}`;
}

type Queryable = { query: (...args: never[]) => unknown };

/**
 * Times every call of `target.query` and reports it to `observe()`'s current observer. Both
 * drivers send all of Drizzle's statements through `query` (pg: each pooled client; PGlite: the
 * client and each transaction), so wrapping it sees each statement exactly once.
 */
export function timeQueries(target: Queryable, observer: () => QueryObserver | undefined): void {
  const original = target.query.bind(target) as (...args: unknown[]) => unknown;
  (target as { query: unknown }).query = (...args: unknown[]) => {
    const observe = observer();
    if (observe === undefined) return original(...args);
    const first = args[0];
    const text = typeof first === 'string' ? first : String((first as { text?: unknown } | undefined)?.text ?? '');
    const started = performance.now();
    const report = (error?: unknown) =>
      observe({ statement: statementName(text), durationMs: performance.now() - started, ...(error ? { error } : {}) });
    // pg's Pool#query calls the pooled client's query with a callback; Drizzle's own calls use the promise.
    const last = args.at(-1);
    if (typeof last === 'function') {
      args[args.length - 1] = (error: unknown, ...rest: unknown[]) => {
        report(error ?? undefined);
        return (last as (...values: unknown[]) => unknown)(error, ...rest);
      };
      return original(...args);
    }
    const result = original(...args);
    if (result instanceof Promise) result.then(() => report(), report);
    return result;
  };
}
