import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writePeerInputs } from './peer-data.mjs';
import { BLOG, BLOG_DB_CLI, BLOG_DB_TEMPLATE, BLOG_ENTRY, KIT, KIT_BUILD_ENTRY, ROOT } from './paths.mjs';

const SKIP_DIRS = new Set(['node_modules', 'dist', 'build', '.svelte-kit', 'tests', 'coverage']);

/** Newest mtime (ms) of the files at `paths` (directories are walked); 0 when none exist. */
function newest(paths) {
  let latest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (!SKIP_DIRS.has(entry)) visit(join(path, entry));
    } else latest = Math.max(latest, stat.mtimeMs);
  };
  paths.forEach(visit);
  return latest;
}

/** Oldest mtime of `files`, or -1 when any is missing. */
function oldest(files) {
  let earliest = Number.POSITIVE_INFINITY;
  for (const file of files) {
    if (!existsSync(file)) return -1;
    earliest = Math.min(earliest, statSync(file).mtimeMs);
  }
  return earliest;
}

/** Runs a command with its output on our stderr; rejects on a non-zero exit. Bounded by `timeoutMs`. */
export function run(command, args, { cwd, timeoutMs = 300_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 2, 2] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) failed: ${signal ?? `exit code ${code}`}`));
    });
  });
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Builds core, server and the blog (`npm run build` at the root) unless dist is newer than every source. */
export async function ensureBlogBuilt(mode, log) {
  const inputs = [
    join(ROOT, 'packages', 'core', 'src'),
    join(ROOT, 'packages', 'core', 'package.json'),
    join(ROOT, 'packages', 'core', 'tsconfig.build.json'),
    join(ROOT, 'packages', 'server', 'src'),
    join(ROOT, 'packages', 'server', 'package.json'),
    join(ROOT, 'packages', 'server', 'tsconfig.build.json'),
    join(BLOG, 'src'),
    join(BLOG, 'package.json'),
    join(BLOG, 'vite.config.ts'),
  ];
  const outputs = [
    join(ROOT, 'packages', 'core', 'dist', 'index.js'),
    join(ROOT, 'packages', 'server', 'dist', 'index.js'),
    join(BLOG, 'dist', 'client', '.vite', 'manifest.json'),
    BLOG_ENTRY,
    // The embedded tier starts from it (ours and the peer), the PostgreSQL tier is seeded by the CLI.
    BLOG_DB_TEMPLATE,
    BLOG_DB_CLI,
  ];
  if (mode === 'never') {
    if (oldest(outputs) < 0) throw new Error('--no-build, but the blog is not built: run `npm run build` first');
    return false;
  }
  if (mode !== 'always' && oldest(outputs) >= newest(inputs)) {
    log('blog build is up to date');
    return false;
  }
  log('building core, server and the blog (npm run build)…');
  await run(npm, ['run', 'build'], { cwd: ROOT });
  return true;
}

/**
 * Installs (npm ci, or npm install when there is no lock yet) and builds the SvelteKit peer when its
 * sources, its copied inputs or its lock are newer than its build.
 */
export async function ensureKitBuilt(mode, log) {
  if (mode === 'never') {
    if (!existsSync(KIT_BUILD_ENTRY)) throw new Error('--no-build, but the SvelteKit peer is not built');
    return false;
  }
  writePeerInputs();

  const lock = join(KIT, 'package-lock.json');
  const installed = join(KIT, 'node_modules', '.package-lock.json');
  const installedAt = oldest([installed]);
  if (installedAt < 0 || newest([lock, join(KIT, 'package.json')]) > installedAt) {
    if (existsSync(lock)) {
      log('installing the SvelteKit peer (npm ci)…');
      try {
        await run(npm, ['ci', '--no-audit', '--no-fund', '--prefix', KIT], { cwd: KIT });
      } catch (error) {
        // A registry mirror that lacks some optional platform packages makes npm ci reject a lock
        // written elsewhere; npm install resolves against what this registry has.
        log(`npm ci failed (${error.message}); falling back to npm install`);
        await run(npm, ['install', '--no-audit', '--no-fund', '--prefix', KIT], { cwd: KIT });
      }
    } else {
      log('installing the SvelteKit peer (npm install: no lock yet)…');
      await run(npm, ['install', '--no-audit', '--no-fund', '--prefix', KIT], { cwd: KIT });
    }
  }

  const inputs = [join(KIT, 'src'), join(KIT, 'svelte.config.js'), join(KIT, 'vite.config.js'), installed];
  const outputs = [KIT_BUILD_ENTRY, join(KIT, 'build', 'handler.js')];
  if (mode !== 'always' && oldest(outputs) >= newest(inputs)) {
    log('SvelteKit peer build is up to date');
    return false;
  }
  log('building the SvelteKit peer (vite build)…');
  await run(process.execPath, [join(KIT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: KIT });
  return true;
}
