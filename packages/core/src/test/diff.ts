/** Structural equality and a readable list of differences, for TestStore failures. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return differences(a, b, '', 1).length === 0;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (value instanceof Date) return `Date(${value.toISOString()})`;
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** Paths where `expected` and `actual` differ, at most `limit` of them. */
export function differences(expected: unknown, actual: unknown, path = 'state', limit = 20): string[] {
  const out: string[] = [];
  const seen = new WeakMap<object, object>();
  const walk = (e: unknown, a: unknown, at: string) => {
    if (out.length >= limit || Object.is(e, a)) return;
    if (typeof e !== 'object' || typeof a !== 'object' || e === null || a === null) {
      out.push(`${at}: expected ${show(e)}, received ${show(a)}`);
      return;
    }
    if (seen.get(e) === a) return;
    seen.set(e, a);
    if (Array.isArray(e) !== Array.isArray(a) || Object.getPrototypeOf(e) !== Object.getPrototypeOf(a)) {
      out.push(`${at}: expected ${show(e)}, received ${show(a)}`);
      return;
    }
    if (e instanceof Date && a instanceof Date) {
      if (e.getTime() !== a.getTime()) out.push(`${at}: expected ${show(e)}, received ${show(a)}`);
      return;
    }
    if (e instanceof Map && a instanceof Map) {
      const keys = new Set([...e.keys(), ...a.keys()]);
      for (const key of keys) walk(e.get(key), a.get(key), `${at}.get(${show(key)})`);
      return;
    }
    if (e instanceof Set && a instanceof Set) {
      if (e.size !== a.size || [...e].some((item) => !a.has(item))) {
        out.push(`${at}: expected ${show([...e])}, received ${show([...a])}`);
      }
      return;
    }
    if (Array.isArray(e) && Array.isArray(a)) {
      if (e.length !== a.length) out.push(`${at}.length: expected ${e.length}, received ${a.length}`);
      const shared = Math.min(e.length, a.length);
      for (let index = 0; index < shared; index++) walk(e[index], a[index], child(at, index));
      return;
    }
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    for (const key of keys) {
      const inE = Object.prototype.hasOwnProperty.call(e, key);
      const inA = Object.prototype.hasOwnProperty.call(a, key);
      const next = child(at, key);
      if (inE && !inA) out.push(`${next}: expected ${show((e as Record<string, unknown>)[key])}, but it is missing`);
      else if (!inE && inA) out.push(`${next}: not expected, received ${show((a as Record<string, unknown>)[key])}`);
      else walk((e as Record<string, unknown>)[key], (a as Record<string, unknown>)[key], next);
    }
  };
  walk(expected, actual, path);
  return out;
}
