import type { PageRouter } from '../app.js';
import type { PageCapture } from './page-capture.js';

/** What `createServer` tells the prerender step about the app it serves (`fastify.prerenderTarget`). */
export interface PrerenderTarget {
  readonly router: PageRouter<{ route: string }>;
  readonly capture: PageCapture;
  /**
   * Method and URL of each route the app registered itself (`createServer({ routes })`: forms, JSON,
   * feeds, sockets): handlers a static site cannot run.
   */
  readonly appRoutes: readonly string[];
  /** The client build the pages load (copied into a static export). */
  readonly clientDir: string;
  /** The client entry's URL: prerendered pages are valid for this build only. */
  readonly clientScript: string;
  /** Where this server reads prerendered pages from at start-up; undefined when it reads none. */
  readonly prerenderedDir: string | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    prerenderTarget: PrerenderTarget;
  }
}
