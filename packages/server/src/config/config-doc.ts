import type { TSchema } from '@sinclair/typebox';
import { ConfigSchema } from './schema.js';

function typeOf(schema: TSchema): string {
  if (schema.anyOf) return (schema.anyOf as TSchema[]).map((option) => `\`${String(option.const)}\``).join(' \\| ');
  if (schema.type === 'integer') return `integer ${schema.minimum}–${schema.maximum}`;
  if (schema.type === 'number') return `number ${schema.minimum}–${schema.maximum}`;
  if (schema.type === 'boolean') return '`true` \\| `false`';
  return 'string';
}

function defaultsOf(schema: TSchema): string {
  const perEnv = (schema['x-env-defaults'] ?? {}) as Record<string, unknown>;
  const parts: string[] = [];
  if (schema.default !== undefined) parts.push(`\`${String(schema.default)}\``);
  for (const [env, value] of Object.entries(perEnv)) parts.push(`\`${String(value)}\` in ${env}`);
  return parts.length > 0 ? parts.join('; ') : '(unset)';
}

/** docs/configuration.md, generated from the schema so the reference can never drift from the code. */
export function renderConfigDoc(): string {
  const rows = Object.entries(ConfigSchema.properties).map(([name, schema]) => {
    const description = String((schema as TSchema).description ?? '').replace(/\|/g, '\\|');
    return `| \`${name}\` | ${typeOf(schema as TSchema)} | ${defaultsOf(schema as TSchema)} | ${description} |`;
  });
  return [
    '# Configuration',
    '',
    '<!-- Generated from packages/server/src/config/schema.ts by `npm run docs:config`. Do not edit by hand. -->',
    '',
    'Every setting is an environment variable, read and validated once at start-up. A `.env` file in',
    'the working directory is read too; variables already in the environment win. An invalid value stops',
    'the server before it listens, with every problem listed at once and exit code 1.',
    '',
    '| variable | type | default | what it does |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

/** .env.example: every variable with its default, commented out, so copying it changes nothing. */
export function renderEnvExample(): string {
  const lines = [
    '# Every environment variable the server reads, with its default. Generated from',
    '# packages/server/src/config/schema.ts by `npm run docs:config`. Uncomment what you change.',
    '# SESSION_SECRET is required in production: openssl rand -base64 48',
    '',
  ];
  for (const [name, schema] of Object.entries(ConfigSchema.properties)) {
    const s = schema as TSchema;
    const description = String(s.description ?? '');
    lines.push(`# ${description}`);
    const perEnv = (s['x-env-defaults'] ?? {}) as Record<string, unknown>;
    const perEnvNote = Object.entries(perEnv)
      .map(([env, value]) => `${value} in ${env}`)
      .join(', ');
    if (perEnvNote) lines.push(`# (${perEnvNote})`);
    lines.push(`# ${name}=${s.default === undefined ? '' : String(s.default)}`, '');
  }
  return lines.join('\n');
}
