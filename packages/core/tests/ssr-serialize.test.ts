import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parseState, StateParseError } from '../src/ssr/parse.js';
import { MAX_STATE_DEPTH, serializeState, StateSerializationError } from '../src/ssr/serialize.js';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function serializationError(state: unknown): StateSerializationError {
  const error = caught(() => serializeState(state));
  expect(error).toBeInstanceOf(StateSerializationError);
  return error as StateSerializationError;
}

function parseError(text: unknown): StateParseError {
  const error = caught(() => parseState(text as string));
  expect(error).toBeInstanceOf(StateParseError);
  return error as StateParseError;
}

function nestedArrays(depth: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < depth; i++) value = [value];
  return value;
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

class TodoList extends Array<string> {}

describe('serializeState: output', () => {
  it('escapes markup characters so the text cannot close or open a script element', () => {
    const state = { html: '</script><script>alert("x")</script>', comment: '<!-- a && b -->' };
    const json = serializeState(state);
    expect(json).toBe(
      '{"html":"\\u003c/script\\u003e\\u003cscript\\u003ealert(\\"x\\")\\u003c/script\\u003e",' +
        '"comment":"\\u003c!-- a \\u0026\\u0026 b --\\u003e"}',
    );
    expect(parseState(json)).toEqual(state);
  });

  it('escapes U+2028 and U+2029 and lone surrogates', () => {
    const state = ['a\u2028b\u2029c', '\ud800', 'x\udfffy'];
    const json = serializeState(state);
    expect(json).toBe('["a\\u2028b\\u2029c","\\ud800","x\\udfffy"]');
    expect(parseState(json)).toEqual(state);
  });

  it('writes plain JSON values like JSON.stringify', () => {
    const state = {
      a: null,
      b: true,
      c: false,
      d: 0,
      e: -1.5e-7,
      f: 1e21,
      g: '',
      h: [],
      i: {},
      j: [1, 'two', [3], { four: 4 }],
      2: 'integer keys first',
    };
    expect(serializeState(state)).toBe(JSON.stringify(state));
    expect(serializeState(-0)).toBe('0');
    expect(serializeState('top-level string')).toBe('"top-level string"');
    expect(serializeState(null)).toBe('null');
  });

  it('omits object properties whose value is undefined', () => {
    expect(serializeState({ a: 1, b: undefined, c: { d: undefined } })).toBe('{"a":1,"c":{}}');
  });

  it('serializes a shared (non-circular) reference each time it appears', () => {
    const author = { name: 'Ada' };
    const state = { posts: [{ author }, { author }], featured: author };
    const json = serializeState(state);
    expect(parseState(json)).toEqual({
      posts: [{ author: { name: 'Ada' } }, { author: { name: 'Ada' } }],
      featured: { name: 'Ada' },
    });
  });

  it('round-trips an own "__proto__" key without touching prototypes', () => {
    const state = JSON.parse('{"__proto__":{"polluted":true},"ok":1}') as Record<string, unknown>;
    const json = serializeState(state);
    expect(json).toBe('{"__proto__":{"polluted":true},"ok":1}');
    const parsed = parseState<Record<string, unknown>>(json);
    expect(Object.keys(parsed)).toEqual(['__proto__', 'ok']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('accepts null-prototype objects, objects from another realm and proxies of plain objects', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    expect(serializeState({ bare })).toBe('{"bare":{"a":1}}');

    const foreign = runInNewContext('({ list: [1, { b: "<" }], empty: {} })') as unknown;
    expect(serializeState(foreign)).toBe('{"list":[1,{"b":"\\u003c"}],"empty":{}}');

    const proxied = new Proxy({ count: 1, items: new Proxy([1, 2], {}) }, {});
    expect(serializeState(proxied)).toBe('{"count":1,"items":[1,2]}');
  });

  it('never calls toJSON', () => {
    let called = false;
    const state = {
      toJSON() {
        called = true;
        return 'replaced';
      },
    };
    expect(serializationError(state).path).toBe('state.toJSON');
    expect(called).toBe(false);
    // A non-function toJSON is ordinary data.
    expect(serializeState({ toJSON: 'data' })).toBe('{"toJSON":"data"}');
  });

  it('handles nesting 1000 levels deep (arrays and objects) and round-trips it', () => {
    const arrays = nestedArrays(1000);
    const arraysJson = serializeState(arrays);
    expect(arraysJson).toBe('['.repeat(1000) + ']'.repeat(1000));
    expect(parseState(arraysJson)).toEqual(arrays);

    let objects: unknown = { leaf: true };
    for (let i = 1; i < 1000; i++) objects = { next: objects };
    const objectsJson = serializeState(objects);
    expect(objectsJson).toBe('{"next":'.repeat(999) + '{"leaf":true}' + '}'.repeat(999));
    expect(parseState(objectsJson)).toEqual(objects);
  });

  it('writes state deeper than JSON.stringify can recurse exactly as JSON.stringify would', () => {
    // 3000 levels: past the depth where serializeState stops handing the state to
    // JSON.stringify, yet shallow enough for JSON.stringify to check the result here.
    let state: unknown = { leaf: ['<end>', -0, null, true] };
    for (let i = 0; i < 3000; i++) {
      state = i % 2 === 0 ? [i, state, 'x\u2028'] : { n: i, skipped: undefined, 'k"ey': state, empty: {} };
    }
    const json = serializeState(state);
    expect(json).toBe(
      JSON.stringify(state)
        .replace(/</g, '\\u003c')
        .replace(/>/g, '\\u003e')
        .replace(/\u2028/g, '\\u2028'),
    );
    expect(parseState(json)).toEqual(JSON.parse(JSON.stringify(state)));
  });

  it(`accepts exactly ${MAX_STATE_DEPTH} levels and rejects one more with a clear error`, () => {
    expect(MAX_STATE_DEPTH).toBe(10_000);
    expect(serializeState(nestedArrays(MAX_STATE_DEPTH))).toBe(
      '['.repeat(MAX_STATE_DEPTH) + ']'.repeat(MAX_STATE_DEPTH),
    );

    const error = serializationError(nestedArrays(MAX_STATE_DEPTH + 1));
    expect(error.path).toBe('state' + '[0]'.repeat(MAX_STATE_DEPTH));
    expect(error.summary).toMatch(/nested more than 10000 levels deep$/);
  });

  it('rejects absurdly deep state with StateSerializationError, not a stack overflow', () => {
    let value: unknown = 1;
    for (let i = 0; i < 200_000; i++) value = { a: value };
    expect(serializationError(value).message).toContain('nested more than 10000 levels deep');
  });
});

describe('serializeState: rejected values', () => {
  const cyclic = (): unknown => {
    const a: Record<string, unknown> = {};
    a['b'] = a;
    return { a };
  };
  const selfCycle = (): unknown => {
    const state: Record<string, unknown> = { ok: [1] };
    state['self'] = state;
    return state;
  };
  const arrayCycle = (): unknown => {
    const list: unknown[] = [0];
    list.push({ back: list });
    return { list };
  };
  const sparse = (): unknown => {
    const list = [1, 2, 3];
    delete list[1];
    return { list };
  };
  const arrayWithProperty = (): unknown => {
    const list: unknown[] = [1];
    (list as unknown as Record<string, unknown>)['extra'] = true;
    return { list };
  };

  // [description, state, expected path, expected message after "Cannot serialize state at <path>: "]
  const cases: ReadonlyArray<readonly [string, () => unknown, string, string | RegExp]> = [
    [
      'Date',
      () => ({ posts: [{}, {}, {}, { createdAt: new Date(0) }] }),
      'state.posts[3].createdAt',
      'Date is not a plain JSON value (store an ISO string instead)',
    ],
    ['function', () => ({ user: { onClick: () => {} } }), 'state.user.onClick', /^function\b/],
    ['undefined in an array', () => ({ items: [1, 2, undefined] }), 'state.items[2]', /^undefined in an array\b/],
    ['BigInt', () => ({ total: 10n }), 'state.total', /^BigInt\b/],
    ['NaN', () => ({ n: Number.NaN }), 'state.n', /^NaN\b/],
    ['Infinity', () => ({ n: Number.POSITIVE_INFINITY }), 'state.n', /^Infinity\b/],
    ['-Infinity', () => ({ n: Number.NEGATIVE_INFINITY }), 'state.n', /^-Infinity\b/],
    ['Map', () => ({ tags: new Map([['a', 1]]) }), 'state.tags', /^Map is not a plain JSON value/],
    ['Set', () => ({ tags: new Set(['a']) }), 'state.tags', /^Set is not a plain JSON value/],
    ['class instance', () => ({ shape: { origin: new Point(0, 0) } }), 'state.shape.origin', /\bPoint\b/],
    ['Array subclass', () => ({ todos: new TodoList() }), 'state.todos', /\bTodoList\b/],
    ['custom prototype', () => ({ o: Object.create({ inherited: 1 }) as object }), 'state.o', /custom prototype/],
    ['Error', () => ({ failure: new Error('boom') }), 'state.failure', /^Error is not a plain JSON value/],
    ['RegExp', () => ({ pattern: /x/ }), 'state.pattern', /^RegExp\b/],
    ['Promise', () => ({ pending: Promise.resolve(1) }), 'state.pending', /^Promise\b/],
    ['typed array', () => ({ bytes: new Uint8Array(2) }), 'state.bytes', /^Uint8Array\b/],
    ['boxed string', () => ({ s: new String('x') }), 'state.s', /^String\b/],
    ['symbol value', () => ({ kind: Symbol('k') }), 'state.kind', /^symbol\b/],
    ['symbol key', () => ({ meta: { [Symbol('secret')]: 1 } }), 'state.meta', /symbol-keyed property Symbol\(secret\)/],
    ['circular reference', cyclic, 'state.a.b', 'circular reference to state.a'],
    ['circular reference to the root', selfCycle, 'state.self', 'circular reference to state'],
    ['circular reference through an array', arrayCycle, 'state.list[1].back', 'circular reference to state.list'],
    ['hole in a sparse array', sparse, 'state.list[1]', /hole/],
    ['non-index property on an array', arrayWithProperty, 'state.list.extra', /non-index property/],
    [
      'keys that are not identifiers',
      () => ({ 'my key': { 'x-y': [0, () => 1] } }),
      'state["my key"]["x-y"][1]',
      /^function\b/,
    ],
    [
      'key with quotes and digits',
      () => ({ 'say "hi"': { '1st': Number.NaN } }),
      'state["say \\"hi\\""]["1st"]',
      /^NaN\b/,
    ],
    ['identifier-like keys with $ and _', () => ({ $store: { _private: 1n } }), 'state.$store._private', /^BigInt\b/],
    ['undefined at the root', () => undefined, 'state', /^undefined\b/],
    ['Date at the root', () => new Date(0), 'state', /^Date\b/],
  ];

  it.each(cases)('%s', (_description, makeState, path, detail) => {
    const error = serializationError(makeState());
    expect(error.name).toBe('StateSerializationError');
    expect(error).toBeInstanceOf(Error);
    expect(error.path).toBe(path);
    const prefix = `Cannot serialize state at ${path}: `;
    expect(error.code).toBe('CS1003');
    expect(error.summary.startsWith(prefix)).toBe(true);
    const rest = error.summary.slice(prefix.length);
    if (typeof detail === 'string') expect(rest).toBe(detail);
    else expect(rest).toMatch(detail);
  });

  it('reports the first offending value in document order', () => {
    const error = serializationError({ a: [1, { b: Number.NaN }], c: () => {} });
    expect(error.path).toBe('state.a[1].b');
  });
});

describe('parseState', () => {
  it('parses what serializeState produced', () => {
    const state = { title: '<b>&</b>', list: [1, null, true] };
    const parsed: typeof state = parseState<typeof state>(serializeState(state));
    expect(parsed).toEqual(state);
  });

  it.each(['', '   ', '\n\t '])('rejects empty text %j', (text) => {
    const error = parseError(text);
    expect(error.name).toBe('StateParseError');
    expect(error.message).toMatch(/^Cannot parse serialized state: the text is empty/);
  });

  it.each([null, undefined, 42])('rejects a non-string (%s), e.g. a missing element', (value) => {
    const error = parseError(value);
    expect(error.message).toMatch(/expected a string, got (null|undefined|number)/);
  });

  it('reports invalid JSON with the JSON error and an excerpt near the problem', () => {
    const text = '{"user":{"name":"Ada",}}';
    let jsonMessage = '';
    try {
      JSON.parse(text);
    } catch (error) {
      jsonMessage = (error as Error).message;
    }
    const error = parseError(text);
    expect(error.message).toContain('invalid JSON');
    expect(error.message).toContain(jsonMessage);
    expect(error.message).toContain('{"user":{"name":"Ada",<<HERE>>}}');
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('shows a short excerpt of HTML-escaped or truncated text', () => {
    const escaped = parseError('{&quot;a&quot;:1}');
    expect(escaped.message).toContain('&quot;a');

    const long = `{"items":[${'1,'.repeat(5000)}`;
    const truncated = parseError(long);
    expect(truncated.message).toContain('invalid JSON');
    expect(truncated.message.length).toBeLessThan(400);
    expect(truncated.message).toContain('{"items":[1,1,1,');

    const multiline = parseError('{\n  "a": 1\n  "b": 2\n}');
    expect(multiline.message).not.toContain('\n');
    expect(multiline.message).toContain('"a": 1\\n');
  });
});
