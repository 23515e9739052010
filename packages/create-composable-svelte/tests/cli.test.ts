import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read, runCli, scratchDir } from './support/generated-app.js';

const scratch = scratchDir();
afterAll(() => scratch.remove());

describe('npm create composable-svelte', () => {
  it('without a terminal asks nothing: the defaults (my-app, minimal) stand in', () => {
    const created = runCli([], scratch.dir);
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain('Created my-app (minimal)');
    const app = join(scratch.dir, 'my-app');
    expect(readdirSync(app).sort()).toEqual(
      [
        '.dockerignore',
        '.env.example',
        '.gitignore',
        'Dockerfile',
        'README.md',
        'docs',
        'package.json',
        'scripts',
        'src',
        'tests',
        'tsconfig.json',
        'vite.config.ts',
        'vitest.config.ts',
      ].sort(),
    );
    const manifest = JSON.parse(read(join(app, 'package.json')));
    expect(manifest.name).toBe('my-app');
    expect(Object.keys(manifest.scripts)).toEqual(
      expect.arrayContaining(['dev', 'build', 'start', 'test', 'typecheck', 'docs:config']),
    );
  });

  it('writes where --dir says, and depends on the published packages with --registry', () => {
    const created = runCli(['shop', '--template', 'full', '--dir', 'apps/shop', '--registry', '--yes'], scratch.dir);
    expect(created.status, created.stderr).toBe(0);
    const manifest = JSON.parse(read(join(scratch.dir, 'apps/shop/package.json')));
    expect(manifest.name).toBe('shop');
    expect(manifest.dependencies['@composable-svelte/server']).toBe('^0.1.0');
    expect(manifest.devDependencies['drizzle-kit']).toBeDefined();
  });

  it('never writes into a directory that has files', () => {
    const taken = join(scratch.dir, 'taken');
    mkdirSync(taken);
    writeFileSync(join(taken, 'keep.txt'), 'mine');
    const refused = runCli(['taken', '--yes'], scratch.dir);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('is not an empty directory');
    expect(readdirSync(taken)).toEqual(['keep.txt']);
  });

  it('refuses an unknown template or an invalid name, with the usage', () => {
    const template = runCli(['x', '--template', 'huge'], scratch.dir);
    expect(template.status).toBe(1);
    expect(template.stderr).toContain('--template must be one of minimal, full; got "huge"');
    expect(template.stderr).toContain('Usage:');
    const name = runCli(['My App'], scratch.dir);
    expect(name.status).toBe(1);
    expect(name.stderr).toContain('app name "My App": use lowercase letters');
    expect(existsSync(join(scratch.dir, 'x'))).toBe(false);
  });
});
