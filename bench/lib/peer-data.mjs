import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BLOG, CACHE, KIT_GENERATED, ROOT } from './paths.mjs';

/** Writes `file` only when its content changes, so an unchanged input keeps its mtime. */
function writeIfChanged(file, content) {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return false;
  writeFileSync(file, content);
  return true;
}

/**
 * Gives the SvelteKit peer the blog's inputs, unforked:
 * - data.json: posts as the blog's own repository derives them from the seed (newest first, excerpts,
 *   comment counts, sanitized bodies), produced by running examples/blog's repository code;
 * - styles.css, favicon.svg and format.ts copied verbatim.
 * The blog's server package must be built (its sanitizer is used). Returns true when anything changed.
 */
export async function writePeerInputs() {
  mkdirSync(KIT_GENERATED, { recursive: true });
  mkdirSync(CACHE, { recursive: true });

  // Bundle the repository module alone; packages stay external and resolve from the root node_modules.
  const { build } = await import(pathToFileURL(join(ROOT, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
  const outfile = join(CACHE, 'posts-repository.mjs');
  await build({
    entryPoints: [join(BLOG, 'src', 'server', 'in-memory-posts-repository.ts')],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  const { createInMemoryPostsRepository } = await import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
  const repository = createInMemoryPostsRepository();
  const posts = await repository.listPosts();
  const details = [];
  for (const summary of posts) details.push(await repository.getPost(summary.id));

  let changed = writeIfChanged(join(KIT_GENERATED, 'data.json'), `${JSON.stringify({ posts, details }, null, 1)}\n`);
  for (const [from, to] of [
    [join(BLOG, 'src', 'client', 'styles.css'), 'styles.css'],
    [join(BLOG, 'src', 'shared', 'favicon.svg'), 'favicon.svg'],
    [join(BLOG, 'src', 'shared', 'format.ts'), 'format.ts'],
  ]) {
    changed = writeIfChanged(join(KIT_GENERATED, to), readFileSync(from, 'utf8')) || changed;
  }
  return changed;
}
