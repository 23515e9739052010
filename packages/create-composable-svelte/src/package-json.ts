import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Template } from './options.js';

/** The same versions the framework's own example app is built and tested with. */
const THIRD_PARTY = {
  dependencies: { '@sinclair/typebox': '0.34.52', svelte: '5.57.3' },
  devDependencies: {
    '@sveltejs/vite-plugin-svelte': '7.3.1',
    '@types/node': '^24.19.4',
    // Readable logs under `npm run dev` (the server picks it up when installed; production never does).
    'pino-pretty': '^13.2.0',
    typescript: '5.9.3',
    vite: '^8.3.8',
    vitest: '^5.1.2',
  },
  full: { dependencies: { 'drizzle-orm': '^0.45.4' }, devDependencies: { 'drizzle-kit': '^0.31.11' } },
} as const;

const FRAMEWORK_PACKAGES = ['core', 'server'] as const;

/** The framework's packages directory when this scaffolder runs from its repository, else undefined. */
export function localPackagesDir(): string | undefined {
  const packages = fileURLToPath(new URL('../../', import.meta.url));
  const local = FRAMEWORK_PACKAGES.every((name) => {
    const manifest = `${packages}${name}/package.json`;
    return existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === `@composable-svelte/${name}`;
  });
  return local ? packages : undefined;
}

function ownVersion(): string {
  return JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;
}

/**
 * The framework's packages: `file:` links to the repository's (so an app made there works before
 * anything is published), else the published release this scaffolder belongs to.
 */
function frameworkDependencies(appDir: string, localPackages: string | undefined): Record<string, string> {
  return Object.fromEntries(
    FRAMEWORK_PACKAGES.map((name) => [
      `@composable-svelte/${name}`,
      localPackages ? `file:${relative(appDir, `${localPackages}${name}`)}` : `^${ownVersion()}`,
    ]),
  );
}

export function appPackageJson(
  name: string,
  template: Template,
  appDir: string,
  localPackages: string | undefined,
): string {
  const full = template === 'full';
  const scripts: Record<string, string> = {
    dev: 'composable-svelte dev',
    build: 'vite build && vite build --ssr',
    prestart: 'npm run build',
    start: 'node scripts/start.mjs',
    test: 'vitest run',
    typecheck: 'tsc --noEmit',
    'docs:config': 'vite build --ssr && node scripts/config-doc.mjs',
    ...(full ? { 'db:generate': 'drizzle-kit generate' } : {}),
  };
  const manifest = {
    name,
    version: '0.1.0',
    private: true,
    type: 'module',
    engines: { node: '>=22.12' },
    scripts,
    dependencies: sorted({
      ...frameworkDependencies(appDir, localPackages),
      ...THIRD_PARTY.dependencies,
      ...(full ? THIRD_PARTY.full.dependencies : {}),
    }),
    devDependencies: sorted({ ...THIRD_PARTY.devDependencies, ...(full ? THIRD_PARTY.full.devDependencies : {}) }),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function sorted(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
