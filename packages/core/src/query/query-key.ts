/** A JSON value, as query keys are made of. */
export type Json = string | number | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** Names a query: an array of JSON values, compared structurally (`['post', 3]`). */
export type QueryKey = readonly Json[];

/**
 * One string per structurally equal key: object properties are sorted, so `{ a: 1, b: 2 }` and
 * `{ b: 2, a: 1 }` name the same query.
 */
export function hashQueryKey(key: QueryKey): string {
  if (!Array.isArray(key)) throw new TypeError(`A query key must be an array of JSON values; got ${String(key)}`);
  return JSON.stringify(key, (_name, value: unknown) =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : value,
  );
}

/** True when `key` starts with every element of `prefix`, compared structurally. */
export function startsWithKey(key: QueryKey, prefix: QueryKey): boolean {
  if (prefix.length > key.length) return false;
  return prefix.every((part, index) => hashQueryKey([part]) === hashQueryKey([key[index]!]));
}
