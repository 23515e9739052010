// Assembles the production runtime of the example blog in <outDir>: the build output (no source
// maps) and a package.json that lists exactly the packages the server bundle imports, pinned to
// the versions this repository was tested with. The Dockerfile and the production smoke test both
// use it, so what is tested is what ships. Usage: node scripts/make-runtime.mjs <outDir>
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { builtinModules } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const blog = join(root, 'examples/blog');
const outDir = resolve(process.argv[2] ?? '');
if (!process.argv[2]) {
  console.error('usage: node scripts/make-runtime.mjs <outDir>');
  process.exit(2);
}
const serverDir = join(blog, 'dist/server');
if (!existsSync(join(serverDir, 'entry.js')) || !existsSync(join(blog, 'dist/client/.vite/manifest.json'))) {
  console.error('No production build found: run `npm run build` first.');
  process.exit(1);
}

mkdirSync(outDir, { recursive: true });
const noMaps = (source) => !source.endsWith('.map');
cpSync(serverDir, join(outDir, 'dist/server'), { recursive: true, filter: noMaps });
// The database migrations the server applies at start-up, where dist/server/app.js looks for them.
cpSync(join(blog, 'drizzle'), join(outDir, 'drizzle'), { recursive: true });
cpSync(join(blog, 'dist/client'), join(outDir, 'dist/client'), {
  recursive: true,
  filter: (source) => noMaps(source) && !source.endsWith('bundle-report.json'),
});

// Bare specifiers imported by the bundle, reduced to package names.
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const names = new Set();
for (const file of readdirSync(serverDir).filter((f) => f.endsWith('.js'))) {
  // Comment lines left out: the bundled packages' comments quote imports (JSDoc types, examples).
  const code = readFileSync(join(serverDir, file), 'utf8')
    .split('\n')
    .filter((line) => !/^\s*(?:\*|\/\/|\/\*)/.test(line))
    .join('\n');
  for (const match of code.matchAll(
    // from-imports and re-exports, dynamic imports, side-effect imports (`import "x"`, which the
    // bundler keeps for a module it tree-shook but cannot prove free of side effects), and the
    // bundler's require of an external package from bundled CommonJS (`__require("x")`).
    /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"'.#/][^"']*)["']|import\(\s*["']([^"'.#/][^"']*)["']\s*\)|(?:^|[\s;])import\s*["']([^"'.#/][^"']*)["']|\b__require\(\s*["']([^"'.#/][^"']*)["']\s*\)/gm,
  )) {
    const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
    if (builtins.has(specifier)) continue;
    const parts = specifier.split('/');
    names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
  }
}
const require = createRequire(join(blog, 'package.json'));
const dependencies = {};
for (const name of [...names].sort()) {
  let dir = require.resolve
    .paths(name)
    .map((p) => join(p, name))
    .find((p) => existsSync(join(p, 'package.json')));
  if (!dir) throw new Error(`The server bundle imports ${name}, which is not installed`);
  dependencies[name] = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
}
const rootPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
writeFileSync(
  join(outDir, 'package.json'),
  `${JSON.stringify({ name: 'composable-svelte-blog-runtime', private: true, type: 'module', engines: { node: '>=22.12' }, scripts: { start: 'node dist/server/entry.js' }, dependencies, overrides: rootPackage.overrides }, null, 2)}\n`,
);
console.log(`runtime written to ${outDir} with ${Object.keys(dependencies).length} dependencies`);
