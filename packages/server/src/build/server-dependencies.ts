import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This package's dependencies that an app's server build leaves to Node: native addons, packages
 * that read their own files at run time (PGlite's WebAssembly and data, pino's worker transports),
 * and the backends imported only when configured. What only they depend on stays out too.
 */
export const SERVER_EXTERNAL_PACKAGES: readonly string[] = [
  '@node-rs/argon2',
  '@electric-sql/pglite',
  'pino',
  'pg',
  'pg-boss',
  'ioredis',
];

interface PackageJson {
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

/** The directory of package `name` as Node finds it from `fromDir`: the nearest node_modules up the tree. */
function packageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The packages the server build bundles: this package's runtime dependencies and theirs, as
 * installed, but SERVER_EXTERNAL_PACKAGES. Node loads an external package file by file, resolving
 * each import, reading the package's scope and wrapping each file on its own; for the ~550 files
 * a start loads that is a fifth of it, and drizzle-orm's 179 kB `exports` map is parsed again for
 * each of its ~100 files (≈ 400 ms and 250 MB of heap). Bundled, they load as a few chunks.
 */
export function serverBundledPackages(root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')): string[] {
  const bundled = new Set<string>();
  // By directory: two installed versions of a package can depend on different packages.
  const visited = new Set<string>();
  const visit = (dir: string) => {
    if (visited.has(dir)) return;
    visited.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
      if (SERVER_EXTERNAL_PACKAGES.includes(name)) continue;
      const found = packageDir(name, dir);
      // An optional dependency that is not installed (another platform's binary) is not bundled.
      if (!found) continue;
      bundled.add(name);
      visit(found);
    }
  };
  visit(root);
  return [...bundled].sort();
}
