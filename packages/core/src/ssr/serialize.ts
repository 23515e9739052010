/**
 * Safe serialization of store state for server-side rendering.
 *
 * The output of {@link serializeState} is JSON text that can be placed verbatim
 * inside `<script type="application/json">…</script>` in an HTML document and
 * read back with `parseState(element.textContent)`.
 *
 * Browser-safe: no Node imports, no dependencies.
 */

import { FrameworkError } from '../errors/framework-error.js';

/** Deepest nesting of arrays/objects accepted by {@link serializeState}. */
export const MAX_STATE_DEPTH = 10_000;

/**
 * Thrown by {@link serializeState} when the state contains something that is
 * not plain JSON data. `path` is the location of the offending value in JS
 * notation, rooted at `state` (e.g. `state.posts[3].createdAt`).
 */
export class StateSerializationError extends FrameworkError {
  readonly path: string;

  constructor(path: string, detail: string) {
    super(
      'CS1003',
      `Cannot serialize state at ${path}: ${detail}`,
      'keep only JSON data in the state (strings, finite numbers, booleans, null, arrays, plain objects): store a Date as its ISO string or epoch ms, a Map or Set as an array, and keep functions and class instances in dependencies',
    );
    this.name = 'StateSerializationError';
    this.path = path;
  }
}

type Key = string | number;

/** A container being validated; the parent links double as the traversal stack. */
interface Frame {
  readonly container: object;
  /** Own enumerable keys of an object, in JSON.stringify's order; null for an array. */
  readonly keys: readonly string[] | null;
  readonly length: number;
  readonly parent: Frame | null;
  /** Key of this container within its parent (`undefined` for the root). */
  readonly key: Key | undefined;
  readonly depth: number;
  next: number;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/**
 * Characters JSON leaves as they are that HTML or older JavaScript parsers do not, with their
 * `\u` escapes. One native replaceAll per character present: a regex replace calling a function
 * per match took a third of the whole serialization on a page with markup in its state.
 */
const HTML_ESCAPES: readonly (readonly [string, string])[] = [
  ['<', '\\u003c'],
  ['>', '\\u003e'],
  ['&', '\\u0026'],
  ['\u2028', '\\u2028'],
  ['\u2029', '\\u2029'],
];

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

function fail(parent: Frame | null, key: Key | undefined, detail: string): never {
  throw new StateSerializationError(pathOf(parent, key), detail);
}

/** Checks one value; returns a frame when it is a container whose members still need checking. */
function check(value: unknown, parent: Frame | null, key: Key | undefined, ancestors: Set<object>): Frame | null {
  if (value === null) return null;
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || (type === 'number' && Number.isFinite(value))) return null;
  if (type !== 'object') {
    const inArray = parent !== null && parent.keys === null;
    if (inArray && !Object.hasOwn(parent.container, key!)) {
      fail(parent, key, 'empty slot (hole) in a sparse array is not a plain JSON value');
    }
    fail(parent, key, primitiveProblem(value, inArray) ?? `${type} is not a plain JSON value`);
  }

  const object = value as object;
  if (ancestors.has(object)) {
    let ancestor = parent!;
    while (ancestor.container !== object) ancestor = ancestor.parent!;
    fail(parent, key, `circular reference to ${pathOf(ancestor)}`);
  }
  const isArray = Array.isArray(object);
  const proto: object | null = Object.getPrototypeOf(object);
  const plain = isArray ? isArrayPrototype(proto) : proto === null || isObjectPrototype(proto);
  if (!plain) fail(parent, key, describeObject(object, isArray));
  const symbolProblem = symbolKeyProblem(object);
  if (symbolProblem !== undefined) fail(parent, key, symbolProblem);
  const depth = parent === null ? 1 : parent.depth + 1;
  if (depth > MAX_STATE_DEPTH) fail(parent, key, `state is nested more than ${MAX_STATE_DEPTH} levels deep`);

  ancestors.add(object);
  const keys = isArray ? null : Object.keys(object);
  const length = keys === null ? (object as unknown[]).length : keys.length;
  return { container: object, keys, length, parent, key, depth, next: 0 };
}

/**
 * Walks the state in document order (so the first problem JSON.stringify would
 * meet is the one reported) without recursion, so deep state cannot overflow
 * the stack. Returns the deepest nesting level found.
 */
function validate(state: unknown): number {
  const ancestors = new Set<object>();
  let frame = check(state, null, undefined, ancestors);
  let deepest = frame === null ? 0 : 1;
  while (frame !== null) {
    if (frame.next < frame.length) {
      const index = frame.next++;
      const key = frame.keys === null ? index : frame.keys[index]!;
      const member = (frame.container as Record<Key, unknown>)[key];
      // Omitted, as JSON.stringify does; in an array check() reports it.
      if (member === undefined && frame.keys !== null) continue;
      const child = check(member, frame, key, ancestors);
      if (child !== null) {
        frame = child;
        if (child.depth > deepest) deepest = child.depth;
      }
      continue;
    }
    if (frame.keys === null) {
      // Every index holds a value by now, so any further key is a named property.
      const keys = Object.keys(frame.container);
      if (keys.length !== frame.length) {
        const extra = keys.find((k) => !isArrayIndex(k, frame!.length))!;
        fail(frame, extra, 'non-index property on an array is not plain JSON data');
      }
    }
    ancestors.delete(frame.container);
    frame = frame.parent;
  }
  return deepest;
}

/**
 * JSON.stringify recurses on the native stack and overflows a few thousand
 * levels down (about 4,500 on Node 24 with an empty stack, less inside a
 * request handler), so state deeper than this is written by {@link stringifyDeep}.
 */
const NATIVE_STRINGIFY_DEPTH = 1000;

/** JSON.stringify for state that {@link validate} accepted, written with a loop instead of recursion. */
function stringifyDeep(state: unknown): string {
  const parts: string[] = [];
  const stack: { readonly container: Record<Key, unknown>; readonly keys: readonly Key[]; next: number }[] = [];
  const open = (value: unknown): void => {
    if (value === null || typeof value !== 'object') {
      parts.push(JSON.stringify(value));
      return;
    }
    const container = value as Record<Key, unknown>;
    const keys: readonly Key[] = Array.isArray(value)
      ? Array.from(value.keys())
      : Object.keys(value).filter((key) => container[key] !== undefined);
    parts.push(Array.isArray(value) ? '[' : '{');
    stack.push({ container, keys, next: 0 });
  };
  open(state);
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next === top.keys.length) {
      parts.push(Array.isArray(top.container) ? ']' : '}');
      stack.pop();
      continue;
    }
    const key = top.keys[top.next]!;
    if (top.next++ > 0) parts.push(',');
    if (typeof key === 'string') parts.push(JSON.stringify(key), ':');
    open(top.container[key]);
  }
  return parts.join('');
}

function escapeMarkup(json: string): string {
  let escaped = json;
  for (const [unsafe, escape] of HTML_ESCAPES)
    if (escaped.includes(unsafe)) escaped = escaped.replaceAll(unsafe, escape);
  return escaped;
}

/**
 * Nesting the fast check follows before handing over to {@link validate}: below JSON.stringify's
 * native limit, and low enough that a circular reference is caught after a few hundred frames.
 */
const FAST_CHECK_DEPTH = 500;

/**
 * True when `value` is certainly plain JSON data that JSON.stringify writes as-is: only this
 * realm's plain objects and arrays, without symbol keys, holes, extra array properties or
 * non-finite numbers. False means "not sure", never "invalid": the exact walk in
 * {@link validate} then decides and names the problem. Recursive and allocation-light, as almost
 * every state is plain.
 */
function isCertainlyPlain(value: unknown, depth: number): boolean {
  if (value === null) return true;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      break;
    default:
      return false;
  }
  if (depth >= FAST_CHECK_DEPTH) return false;
  const object = value as object;
  const proto: unknown = Object.getPrototypeOf(object);
  if (Array.isArray(object)) {
    if (proto !== Array.prototype) return false;
    const array = object as unknown[];
    for (let index = 0; index < array.length; index++) {
      const member = array[index];
      // undefined: a hole or an undefined member, both refused by the exact walk.
      if (member === undefined || !isCertainlyPlain(member, depth + 1)) return false;
    }
    return Object.keys(array).length === array.length && Object.getOwnPropertySymbols(array).length === 0;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const record = object as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let index = 0; index < keys.length; index++) {
    const member = record[keys[index]!];
    if (member !== undefined && !isCertainlyPlain(member, depth + 1)) return false;
  }
  return Object.getOwnPropertySymbols(record).length === 0;
}

/**
 * Serializes plain JSON state to JSON text that is safe to embed verbatim in an
 * HTML `<script type="application/json">` element.
 *
 * Accepts only null, booleans, finite numbers, strings, arrays and plain objects
 * (prototype `Object.prototype` or `null`); object properties whose value is
 * `undefined` are omitted. Anything else throws a {@link StateSerializationError}
 * naming the path of the offending value. Functions are rejected wherever they
 * appear, so no `toJSON` method is ever called.
 *
 * `<`, `>`, `&`, U+2028 and U+2029 are written as `\u` escapes, so the output
 * contains no `</script`, `<!--` or `<script`, and no raw line/paragraph
 * separators. Lone surrogates are escaped too, so the output is well-formed UTF-16.
 */
export function serializeState(state: unknown): string {
  const depth = isCertainlyPlain(state, 0) ? 0 : validate(state);
  const json = depth > NATIVE_STRINGIFY_DEPTH ? stringifyDeep(state) : JSON.stringify(state);
  return escapeMarkup(json);
}
