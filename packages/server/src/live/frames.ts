import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const Ref = Type.String({ minLength: 1, maxLength: 64 });
const Topic = Type.String({ minLength: 1, maxLength: 256 });

/** Every frame a client may send; anything else is answered with an error, never trusted. */
const ClientFrameSchema = Type.Union([
  Type.Object({ type: Type.Literal('auth'), token: Type.String({ minLength: 1, maxLength: 8192 }) }),
  Type.Object({
    type: Type.Literal('join'),
    ref: Ref,
    topic: Topic,
    since: Type.Optional(Type.Integer({ minimum: 0 })),
    epoch: Type.Optional(Type.String({ maxLength: 64 })),
  }),
  Type.Object({ type: Type.Literal('leave'), ref: Ref, topic: Topic }),
  Type.Object({
    type: Type.Literal('push'),
    ref: Ref,
    topic: Topic,
    event: Type.String({ minLength: 1, maxLength: 64 }),
    data: Type.Optional(Type.Unknown()),
  }),
  Type.Object({ type: Type.Literal('ping') }),
]);

export type ValidClientFrame = Static<typeof ClientFrameSchema>;

const check = TypeCompiler.Compile(ClientFrameSchema);

/** The parsed frame, or why it is not one (sent back as the error reason). */
export function parseClientFrame(text: string): ValidClientFrame | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'bad_json' };
  }
  if (check.Check(value)) return value;
  const type = (value as { type?: unknown } | null)?.type;
  const known = ['auth', 'join', 'leave', 'push', 'ping'];
  return { error: typeof type === 'string' && known.includes(type) ? `bad_frame:${type}` : 'unknown_type' };
}
