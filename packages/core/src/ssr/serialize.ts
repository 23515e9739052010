/**
 * Safe serialization of store state for server-side rendering.
 *
 * The output of {@link serializeState} is JSON text that can be placed verbatim
 * inside `<script type="application/json">…</script>` in an HTML document and
 * read back with `parseState(element.textContent)`.
 *
 * Browser-safe: no Node imports, no dependencies.
 */

/** Deepest nesting of arrays/objects accepted by {@link serializeState}. */
export const MAX_STATE_DEPTH = 10_000;

/**
 * Thrown by {@link serializeState} when the state contains something that is
 * not plain JSON data. `path` is the location of the offending value in JS
 * notation, rooted at `state` (e.g. `state.posts[3].createdAt`).
 */
export class StateSerializationError extends Error {
  readonly path: string;

  constructor(path: string, detail: string) {
    super(`Cannot serialize state at ${path}: ${detail}`);
    this.name = 'StateSerializationError';
    this.path = path;
  }
}

type Key = string | number;

interface ArrayFrame {
  readonly kind: 'array';
  readonly value: readonly unknown[];
  readonly parent: Frame | null;
  /** Key of this container within its parent (`undefined` for the root). */
  readonly key: Key | undefined;
  readonly depth: number;
  next: number;
}

interface ObjectFrame {
  readonly kind: 'object';
  readonly value: Record<string, unknown>;
  readonly parent: Frame | null;
  readonly key: Key | undefined;
  readonly depth: number;
  readonly keys: readonly string[];
  next: number;
  wroteMember: boolean;
}

type Frame = ArrayFrame | ObjectFrame;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function keySegment(key: Key): string {
  if (typeof key === 'number') return `[${key}]`;
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

/** JS-notation path of the value stored under `key` in `frame`'s container. */
function pathOf(frame: Frame | null, key?: Key): string {
  const segments: string[] = [];
  if (key !== undefined) segments.push(keySegment(key));
  for (let f = frame; f !== null; f = f.parent) {
    if (f.key !== undefined) segments.push(keySegment(f.key));
  }
  segments.push('state');
  return segments.reverse().join('');
}

/** Name of the constructor owning `proto` (its own `constructor` data property). */
function constructorName(proto: object): string | undefined {
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'constructor');
  const ctor: unknown = descriptor?.value;
  if (typeof ctor === 'function' && typeof ctor.name === 'string' && ctor.name !== '') {
    return ctor.name;
  }
  return undefined;
}

/** `Object.prototype` of this realm or of another one (iframe, node:vm). */
function isObjectPrototype(proto: object): boolean {
  return proto === Object.prototype || (Object.getPrototypeOf(proto) === null && constructorName(proto) === 'Object');
}

/** `Array.prototype` of this realm or of another one (the only array-exotic prototype). */
function isArrayPrototype(proto: object | null): boolean {
  return proto === Array.prototype || (proto !== null && Array.isArray(proto));
}

const HINTS: Readonly<Record<string, string>> = {
  Date: 'store an ISO string instead',
  Map: 'use a plain object or an array of entries instead',
  Set: 'use an array instead',
  WeakMap: 'it cannot be serialized',
  WeakSet: 'it cannot be serialized',
  RegExp: 'store its source string instead',
  Promise: 'resolve it before rendering',
  URL: 'store its href string instead',
};

/** Describes a non-plain object (class instance, built-in, …). */
function describeObject(value: object, isArray: boolean): string {
  const proto: unknown = Object.getPrototypeOf(value);
  const name = proto === null || typeof proto !== 'object' ? undefined : constructorName(proto);
  if (name === undefined) {
    return `${isArray ? 'array' : 'object'} with a custom prototype is not a plain JSON value`;
  }
  const hint = HINTS[name];
  if (hint !== undefined) return `${name} is not a plain JSON value (${hint})`;
  const builtIn = Object.prototype.toString.call(value).slice(8, -1);
  if (builtIn === name && builtIn !== 'Object') {
    return `${name} is not a plain JSON value`;
  }
  return `instance of class ${name} is not a plain JSON value (use a plain object)`;
}

function primitiveProblem(value: unknown, inArray: boolean): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return inArray
        ? 'undefined in an array is not a plain JSON value (use null instead)'
        : 'undefined is not a plain JSON value';
    case 'function':
      return 'function is not a plain JSON value';
    case 'bigint':
      return 'BigInt is not a plain JSON value (store it as a string or number)';
    case 'symbol':
      return 'symbol is not a plain JSON value';
    case 'number':
      if (Number.isNaN(value)) return 'NaN is not a plain JSON value (numbers must be finite)';
      if (!Number.isFinite(value)) {
        return `${value < 0 ? '-Infinity' : 'Infinity'} is not a plain JSON value (numbers must be finite)`;
      }
      return undefined;
    default:
      return undefined;
  }
}

function symbolKeyProblem(value: object): string | undefined {
  for (const sym of Object.getOwnPropertySymbols(value)) {
    if (Object.prototype.propertyIsEnumerable.call(value, sym)) {
      return `symbol-keyed property ${String(sym)} is not plain JSON data`;
    }
  }
  return undefined;
}

function isArrayIndex(key: string, length: number): boolean {
  if (!/^(?:0|[1-9][0-9]*)$/.test(key)) return false;
  return Number(key) < length;
}

/**
 * Serializes plain JSON state to JSON text that is safe to embed verbatim in an
 * HTML `<script type="application/json">` element.
 *
 * Accepts only null, booleans, finite numbers, strings, arrays and plain objects
 * (prototype `Object.prototype` or `null`); object properties whose value is
 * `undefined` are omitted. Anything else throws a {@link StateSerializationError}
 * naming the path of the offending value. `toJSON` methods are never called.
 *
 * `<`, `>`, `&`, U+2028 and U+2029 are written as `\u` escapes, so the output
 * contains no `</script`, `<!--` or `<script`, and no raw line/paragraph
 * separators. Lone surrogates are escaped too, so the output is well-formed UTF-16.
 */
export function serializeState(state: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  /** Containers currently being serialized (ancestors of the current value). */
  const ancestors = new Map<object, Frame>();

  const visit = (value: unknown, parent: Frame | null, key: Key | undefined): void => {
    if (value === null) {
      out.push('null');
      return;
    }
    if (typeof value === 'boolean') {
      out.push(value ? 'true' : 'false');
      return;
    }
    if (typeof value === 'string') {
      // JSON.stringify escapes control characters and lone surrogates.
      out.push(JSON.stringify(value));
      return;
    }
    if (typeof value === 'number' && Number.isFinite(value)) {
      out.push(String(value)); // same text as JSON.stringify, including -0 -> "0"
      return;
    }
    if (typeof value !== 'object') {
      const problem = primitiveProblem(value, parent?.kind === 'array');
      throw new StateSerializationError(pathOf(parent, key), problem ?? `${typeof value} is not a plain JSON value`);
    }

    const ancestor = ancestors.get(value);
    if (ancestor !== undefined) {
      throw new StateSerializationError(pathOf(parent, key), `circular reference to ${pathOf(ancestor)}`);
    }

    const isArray = Array.isArray(value);
    const proto: object | null = Object.getPrototypeOf(value);
    const plain = isArray ? isArrayPrototype(proto) : proto === null || isObjectPrototype(proto);
    if (!plain) {
      throw new StateSerializationError(pathOf(parent, key), describeObject(value, isArray));
    }
    const symbolProblem = symbolKeyProblem(value);
    if (symbolProblem !== undefined) {
      throw new StateSerializationError(pathOf(parent, key), symbolProblem);
    }

    const depth = parent === null ? 1 : parent.depth + 1;
    if (depth > MAX_STATE_DEPTH) {
      throw new StateSerializationError(
        pathOf(parent, key),
        `state is nested more than ${MAX_STATE_DEPTH} levels deep`,
      );
    }

    let frame: Frame;
    if (isArray) {
      frame = { kind: 'array', value: value as unknown[], parent, key, depth, next: 0 };
      out.push('[');
    } else {
      frame = {
        kind: 'object',
        value: value as Record<string, unknown>,
        parent,
        key,
        depth,
        keys: Object.keys(value),
        next: 0,
        wroteMember: false,
      };
      out.push('{');
    }
    ancestors.set(value, frame);
    stack.push(frame);
  };

  visit(state, null, undefined);

  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.kind === 'array') {
      const array = frame.value;
      if (frame.next < array.length) {
        const index = frame.next++;
        if (index > 0) out.push(',');
        if (!Object.prototype.hasOwnProperty.call(array, index)) {
          throw new StateSerializationError(
            pathOf(frame, index),
            'empty slot (hole) in a sparse array is not a plain JSON value',
          );
        }
        visit(array[index], frame, index);
        continue;
      }
      const keys = Object.keys(array);
      if (keys.length !== array.length) {
        const extra = keys.find((k) => !isArrayIndex(k, array.length));
        if (extra !== undefined) {
          throw new StateSerializationError(
            pathOf(frame, extra),
            'non-index property on an array is not plain JSON data',
          );
        }
      }
      out.push(']');
    } else {
      const object = frame.value;
      let visited = false;
      while (frame.next < frame.keys.length) {
        const key = frame.keys[frame.next++]!;
        const member = object[key];
        if (member === undefined) continue; // omitted, as JSON.stringify does
        if (frame.wroteMember) out.push(',');
        frame.wroteMember = true;
        out.push(JSON.stringify(key), ':');
        visit(member, frame, key);
        visited = true;
        break;
      }
      if (visited) continue;
      out.push('}');
    }
    ancestors.delete(frame.value);
    stack.pop();
  }

  return out.join('').replace(HTML_UNSAFE, (ch) => HTML_ESCAPES[ch]!);
}
