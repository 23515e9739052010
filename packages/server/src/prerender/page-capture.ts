import type { RenderedPage } from '../cache/page-cache.js';

/** What the page route rendered for one request: its page-cache key and the page. */
export interface CapturedPage {
  readonly key: string;
  readonly page: RenderedPage;
}

/**
 * How the prerender step sees the app's own rendering: while `during` runs, the page route renders
 * every request itself (no page cache, no prerendered file) and hands the result here. One request
 * at a time, on a server that is not listening, so the page recorded is the request's own.
 */
export interface PageCapture {
  /** True while the prerender step is rendering: the page route must render, not serve a copy. */
  readonly active: boolean;
  record(captured: CapturedPage): void;
  during<T>(run: () => Promise<T>): Promise<{ readonly result: T; readonly captured: CapturedPage | undefined }>;
}

export function createPageCapture(): PageCapture {
  let recorder: ((captured: CapturedPage) => void) | undefined;
  return {
    get active() {
      return recorder !== undefined;
    },
    record(captured) {
      recorder?.(captured);
    },
    async during(run) {
      if (recorder) throw new Error('PageCapture.during: one request at a time');
      let captured: CapturedPage | undefined;
      recorder = (page) => (captured = page);
      try {
        const result = await run();
        return { result, captured };
      } finally {
        recorder = undefined;
      }
    },
  };
}
