#!/usr/bin/env node
import { relative, resolve } from 'node:path';
import { askMissing } from './prompts.js';
import { parseCliOptions, USAGE, UsageError, type Template } from './options.js';
import { localPackagesDir } from './package-json.js';
import { scaffold, TargetNotEmptyError } from './scaffold.js';

const DEFAULTS = { name: 'my-app', template: 'minimal' as Template };

async function main(): Promise<void> {
  const options = parseCliOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  // Without a terminal (CI, a pipe) nothing can be asked: the defaults stand in.
  const interactive = !options.yes && process.stdin.isTTY === true;
  const { name, template } = interactive
    ? await askMissing(options, DEFAULTS)
    : { name: options.name ?? DEFAULTS.name, template: options.template ?? DEFAULTS.template };
  // `npm run create` runs in the repository root; INIT_CWD is where it was typed.
  const base = process.env.INIT_CWD ?? process.cwd();
  const directory = resolve(base, options.directory ?? name);
  const localPackages = options.registry ? undefined : localPackagesDir();
  scaffold({ name, template, directory, localPackages });
  const shown = relative(process.cwd(), directory) || '.';
  const lines = [`Created ${name} (${template}) in ${directory}`];
  if (localPackages) lines.push(`Linked to the framework's packages in ${localPackages} (file: dependencies).`);
  lines.push(
    '',
    'Next:',
    `  cd ${shown}`,
    '  npm install && npm start     # http://localhost:3000',
    '  npm test',
    '  npm run dev',
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof UsageError || error instanceof TargetNotEmptyError) {
    console.error(`create-composable-svelte: ${error.message}`);
    if (error instanceof UsageError) console.error(`\n${USAGE}`);
    process.exit(1);
  }
  throw error;
});
