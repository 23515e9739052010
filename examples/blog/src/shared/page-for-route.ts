import type { Page } from './state.js';
import type { RouteResult } from './routes.js';

/** Maps a parsed URL to the page it shows, including the app's own not-found and bad-request pages. */
export function pageForRoute(result: RouteResult, path: string): Page {
  if (result.ok) return result.destination;
  if (result.reason === 'not-found') return { route: 'notFound', path };
  return { route: 'badRequest', path, errors: result.errors.map((e) => ({ path: e.path, message: e.message })) };
}
