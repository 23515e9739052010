/** Header values as Node and Fastify's inject() report them (numbers included, e.g. content-length). */
export type GradedHeaders = Record<string, string | readonly string[] | number | undefined>;

/** Lower-cased names; each entry is one header line as received. */
export function normalizeHeaders(headers: GradedHeaders): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const values = typeof value === 'string' || typeof value === 'number' ? [String(value)] : [...value];
    const key = name.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), ...values]);
  }
  return map;
}

/** The comma-separated items of every line of a list-valued header, trimmed. */
export function listItems(values: readonly string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((item) => item.trim());
}
