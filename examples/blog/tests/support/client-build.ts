import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** A chunk of the client build as Vite's manifest lists it (the fields these tests read). */
export interface ManifestChunk {
  readonly file: string;
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
  readonly isEntry?: boolean;
}

export const clientDir = fileURLToPath(new URL('../../dist/client/', import.meta.url));

export function readClientManifest(): Record<string, ManifestChunk> {
  return JSON.parse(readFileSync(`${clientDir}.vite/manifest.json`, 'utf8')) as Record<string, ManifestChunk>;
}

/** The files of a manifest entry and everything it imports statically, the entry's own first. */
export function staticClosure(manifest: Record<string, ManifestChunk>, key: string): string[] {
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    const chunk = manifest[k];
    if (!chunk) throw new Error(`The client manifest has no ${JSON.stringify(k)}`);
    seen.add(k);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(key);
  return [...seen].map((k) => manifest[k]!.file);
}

export const ENTRY = 'src/client/entry.ts';
export const pageSource = (name: string) => `src/shared/pages/${name}.svelte`;
