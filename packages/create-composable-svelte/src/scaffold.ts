import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from './options.js';
import { appPackageJson } from './package-json.js';

export interface ScaffoldOptions {
  readonly name: string;
  readonly template: Template;
  /** Where the app goes: missing or empty. */
  readonly directory: string;
  /** The repository's packages directory to link to, or undefined for the published packages. */
  readonly localPackages: string | undefined;
}

const TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
/** Files npm would drop or act on when publishing this package, stored under another name. */
const RENAMED = { _gitignore: '.gitignore', _dockerignore: '.dockerignore' } as const;
const NAME_PLACEHOLDER = /__APP_NAME__/g;

export class TargetNotEmptyError extends Error {
  override readonly name = 'TargetNotEmptyError';
}

/** Writes the app: the files every app shares, its template's, its package.json. */
export function scaffold(options: ScaffoldOptions): void {
  const { directory } = options;
  if (existsSync(directory) && (!statSync(directory).isDirectory() || readdirSync(directory).length > 0))
    throw new TargetNotEmptyError(`${directory} exists and is not an empty directory; pick another name or --dir`);
  for (const layer of ['base', options.template]) cpSync(join(TEMPLATES_DIR, layer), directory, { recursive: true });
  for (const [stored, real] of Object.entries(RENAMED)) {
    if (existsSync(join(directory, stored))) renameSync(join(directory, stored), join(directory, real));
  }
  for (const file of textFiles(directory)) {
    const text = readFileSync(file, 'utf8');
    if (NAME_PLACEHOLDER.test(text)) writeFileSync(file, text.replace(NAME_PLACEHOLDER, options.name));
  }
  writeFileSync(
    join(directory, 'package.json'),
    appPackageJson(options.name, options.template, directory, options.localPackages),
  );
}

function textFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.(md|ts|svelte|json|mjs|html|css|example)$|Dockerfile$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}
