/**
 * `compute` remembered per key, for pure work a hot path repeats with few distinct keys (a page's
 * path, a Vary value). Bounded: past `limit` keys the memory starts over, so keys a client chooses
 * (a crawl of unique URLs) cannot grow it.
 */
export function boundedMemo<V>(limit: number, compute: (key: string) => V): (key: string) => V {
  const known = new Map<string, V>();
  return (key) => {
    if (known.has(key)) return known.get(key) as V;
    const value = compute(key);
    if (known.size >= limit) known.clear();
    known.set(key, value);
    return value;
  };
}
