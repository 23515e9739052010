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
