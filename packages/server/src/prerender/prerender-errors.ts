import { FrameworkError } from '@composable-svelte/core';

/** A page the prerender step could not write, and why. */
export interface PrerenderProblem {
  readonly path: string;
  readonly reason: string;
}

/** A link in a prerendered page to a URL of the site that does not answer with a page. */
export interface BrokenLink {
  readonly href: string;
  readonly status: number;
  /** The prerendered pages that link to it. */
  readonly from: readonly string[];
}

const list = (lines: readonly string[]) => lines.map((line) => `\n    ${line}`).join('');

/** The build fails on any of them: a page that cannot be prerendered, or a broken internal link. */
export class PrerenderError extends FrameworkError {
  readonly problems: readonly PrerenderProblem[];
  readonly brokenLinks: readonly BrokenLink[];

  constructor(problems: readonly PrerenderProblem[], brokenLinks: readonly BrokenLink[]) {
    const parts = [];
    if (problems.length > 0)
      parts.push(
        `${problems.length} page(s) cannot be prerendered:${list(problems.map((p) => `${p.path}: ${p.reason}`))}`,
      );
    if (brokenLinks.length > 0)
      parts.push(
        `${brokenLinks.length} broken internal link(s):${list(
          brokenLinks.map((link) => `${link.href} (${link.status}), linked from ${link.from.join(', ')}`),
        )}`,
      );
    super(
      'CS2003',
      `Prerendering failed. ${parts.join('\n  ')}`,
      'prerender only pages that are the same for every visitor and whose data does not change at runtime, give routes with params entries(), and fix or remove the broken links',
    );
    this.name = 'PrerenderError';
    this.problems = problems;
    this.brokenLinks = brokenLinks;
  }
}

/** What a static export would lose: pages rendered per request and the app's own route handlers. */
export class StaticExportError extends FrameworkError {
  readonly refused: readonly string[];

  constructor(refused: readonly string[]) {
    super(
      'CS2004',
      `A static export needs every page prerendered; ${refused.length} part(s) of this app need the server:${list(refused)}`,
      'mark every route `prerender: true` (with entries() where it has params) and move form, API and feed handlers out of the app, or deploy with the server (`composable-svelte prerender` without --static)',
    );
    this.name = 'StaticExportError';
    this.refused = refused;
  }
}
