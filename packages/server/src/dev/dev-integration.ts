import type { ClientAssets } from '../render/client-manifest.js';
import type { CspDirectives } from '../security/headers.js';

/**
 * What `composable-svelte dev` changes in a server the app builds with `createServer()`: pages load
 * their modules from Vite, the CSP admits Vite's HMR client, failures carry a source-mapped stack
 * and an overlay. Set by the dev runner before it loads the app; never read in production.
 */
export interface DevIntegration {
  /** The page's scripts as Vite serves them: its HMR client and the app's entry module, unhashed. */
  clientAssets(entry: string): ClientAssets;
  /** Sources added to the app's CSP, directive by directive. */
  readonly csp: CspDirectives;
  /** Markup appended to an error page: the error's details and the module that shows Vite's overlay. */
  overlay(error: unknown): string;
}

let current: DevIntegration | undefined;

export function setDevIntegration(integration: DevIntegration | undefined): void {
  current = integration;
}

/** The integration of a running dev server; undefined anywhere else (and always in production). */
export function devIntegration(): DevIntegration | undefined {
  return current;
}
