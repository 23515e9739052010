import { parseArgs } from 'node:util';

export const TEMPLATES = ['minimal', 'full'] as const;
export type Template = (typeof TEMPLATES)[number];

/** What the command line said; anything left undefined is asked for (TTY) or defaulted. */
export interface CliOptions {
  readonly name: string | undefined;
  readonly template: Template | undefined;
  readonly directory: string | undefined;
  readonly yes: boolean;
  /** Depend on the published packages even when run from the framework's repository. */
  readonly registry: boolean;
  readonly help: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `Usage: npm create composable-svelte@latest [name] -- [options]

  name                     the app's package name and, unless --dir says otherwise, its directory
  --template minimal|full  minimal: one page, a reducer with an effect and its TestStore test
                           full: a notes app with a database, accounts, live updates and a job
  --dir <path>             where to write the app (must be missing or empty)
  --yes                    take the defaults for whatever was not given, ask nothing
  --registry               depend on the published packages even inside the framework's repository
  --help                   this text
`;

/** npm's rules for a package name, the part an app name needs: lowercase, URL-safe, not too long. */
export function checkAppName(name: string): string | undefined {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) return 'use lowercase letters, digits, dots, dashes and underscores';
  if (name.length > 214) return 'at most 214 characters';
  return undefined;
}

export function parseCliOptions(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        template: { type: 'string', short: 't' },
        dir: { type: 'string', short: 'd' },
        yes: { type: 'boolean', short: 'y', default: false },
        registry: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one app name, got ${positionals.length}: ${positionals.join(' ')}`);
  const template = values.template;
  if (template !== undefined && !TEMPLATES.includes(template as Template))
    throw new UsageError(`--template must be one of ${TEMPLATES.join(', ')}; got "${template}"`);
  const name = positionals[0];
  const problem = name === undefined ? undefined : checkAppName(name);
  if (problem) throw new UsageError(`app name "${name}": ${problem}`);
  return {
    name,
    template: template as Template | undefined,
    directory: values.dir,
    yes: values.yes,
    registry: values.registry,
    help: values.help,
  };
}
