import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOG, KIT_GENERATED } from './paths.mjs';

/** Writes `file` only when its content changes, so an unchanged input keeps its mtime. */
function writeIfChanged(file, content) {
  if (existsSync(file) && readFileSync(file, 'utf8') === content) return false;
  writeFileSync(file, content);
  return true;
}

/**
 * Gives the SvelteKit peer the blog's styles.css and favicon.svg, copied verbatim (its date format is
 * its own copy: peers/sveltekit/src/lib/format.ts). Its data
 * comes from the blog's database at run time (see peers/sveltekit/src/lib/server/database.ts).
 * Returns true when anything changed.
 */
export function writePeerInputs() {
  mkdirSync(KIT_GENERATED, { recursive: true });
  let changed = false;
  for (const [from, to] of [
    [join(BLOG, 'src', 'client', 'styles.css'), 'styles.css'],
    [join(BLOG, 'src', 'shared', 'favicon.svg'), 'favicon.svg'],
  ]) {
    changed = writeIfChanged(join(KIT_GENERATED, to), readFileSync(from, 'utf8')) || changed;
  }
  return changed;
}
