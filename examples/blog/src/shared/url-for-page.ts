import { router } from './routes.js';
import type { Page } from './state.js';

/** The URL a page lives at; null for pages that keep whatever URL produced them (errors). */
export function urlForPage(page: Page): string | null {
  switch (page.route) {
    case 'notFound':
    case 'badRequest':
      return page.path;
    case 'error':
      return null;
    default:
      return router.href(page);
  }
}
