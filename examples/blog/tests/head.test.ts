import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { headFor, SITE_NAME, statusFor } from '../src/shared/head.js';
import { dictionaries } from '../src/shared/i18n/messages.js';
import type { Post } from '../src/shared/model.js';
import { initialBlogState, type BlogState, type Load, type Page } from '../src/shared/state.js';

const ORIGIN = 'https://blog.example.com';
const SITE_DESCRIPTION = 'Essays on building and running web software: rendering, caching, testing, operations.';

const post3: Post = {
  id: 3,
  title: 'Postmortem: the Tuesday our connection pool ran dry',
  author: 'Lukas Brandt',
  publishedAt: '2025-02-27T16:45:00.000Z',
  excerpt: 'On a Tuesday afternoon in February, the API started returning timeouts…',
  commentCount: 6,
  bodyHtml:
    '<p>On a Tuesday afternoon in February, the API started returning timeouts for roughly one request in five.</p>',
  coverUrl: null,
  authorId: null,
  updatedAt: null,
};

beforeAll(() => dictionaries.loadAll());

const home: Page = { route: 'home', params: {}, query: {} };
const postPage = (id: number): Page => ({ route: 'post', params: { id }, query: {} });
const commentsPage = (id: number): Page => ({ route: 'comments', params: { id }, query: {} });
const notFound: Page = { route: 'notFound', path: '/x/y' };
const badRequest: Page = {
  route: 'badRequest',
  path: '/posts/abc',
  errors: [{ path: 'params.id', message: 'must be an integer' }],
};
const errorPage = (status: number, message: string): Page => ({ route: 'error', status, message, requestId: 'req-1' });

const READY: Load = { status: 'ready' };
const LOADING: Load = { status: 'loading' };
const MISSING: Load = { status: 'failed', httpStatus: 404, message: 'This post does not exist.' };
const BROKEN: Load = { status: 'failed', httpStatus: 503, message: 'The server answered 503.' };

function state(page: Page, extra: Partial<BlogState> = {}): BlogState {
  return { ...initialBlogState(page, ORIGIN), ...extra };
}

const withPost3 = (page: Page, load: Load = READY) => state(page, { load, postsById: { 3: post3 } });

describe('headFor', () => {
  it('home: the site title and description, canonical at the origin root', () => {
    expect(headFor(state(home))).toEqual({
      title: `${SITE_NAME} — essays on web software`,
      description: SITE_DESCRIPTION,
      canonical: `${ORIGIN}/`,
    });
  });

  it('home keeps its head while loading and after a failure', () => {
    expect(headFor(state(home, { load: LOADING }))).toEqual(headFor(state(home)));
    expect(headFor(state(home, { load: BROKEN })).title).toContain(SITE_NAME);
  });

  it('post: the post title, its excerpt, canonical /posts/:id', () => {
    const head = headFor(withPost3(postPage(3)));

    expect(head).toEqual({
      title: `${post3.title} — ${SITE_NAME}`,
      description: post3.excerpt,
      canonical: `${ORIGIN}/posts/3`,
    });
  });

  it('comments: "Comments on" the post title, its excerpt, canonical /posts/:id/comments', () => {
    const head = headFor(withPost3(commentsPage(3)));

    expect(head.title).toBe(`Comments on ${post3.title} — ${SITE_NAME}`);
    expect(head.title).toContain(post3.title);
    expect(head.description).toBe(post3.excerpt);
    expect(head.canonical).toBe(`${ORIGIN}/posts/3/comments`);
  });

  it('the comment form page (?write=1): the comments page’s title, and its canonical URL', () => {
    const form = headFor(withPost3({ route: 'comments', params: { id: 3 }, query: { write: '1' } }));
    expect(form).toEqual(headFor(withPost3(commentsPage(3))));
  });

  it('post while loading: a placeholder title, the site description, the canonical URL already', () => {
    expect(headFor(state(postPage(8), { load: LOADING }))).toEqual({
      title: `Loading post… — ${SITE_NAME}`,
      description: SITE_DESCRIPTION,
      canonical: `${ORIGIN}/posts/8`,
    });
    expect(headFor(state(commentsPage(8), { load: LOADING })).canonical).toBe(`${ORIGIN}/posts/8/comments`);
  });

  it('post that does not exist: "Post not found"', () => {
    const head = headFor(state(postPage(999), { load: MISSING }));

    expect(head.title).toBe(`Post not found — ${SITE_NAME}`);
    expect(head.description).toBe(SITE_DESCRIPTION);
    expect(headFor(state(commentsPage(999), { load: MISSING })).title).toBe(`Post not found — ${SITE_NAME}`);
  });

  it('post whose load failed for another reason is not called "not found"', () => {
    const head = headFor(state(postPage(8), { load: BROKEN }));
    expect(head.title.toLowerCase()).not.toContain('not found');
  });

  it('uses the loaded post even when the page is still loading something else (its comments)', () => {
    const head = headFor(withPost3(commentsPage(3), LOADING));
    expect(head.title).toBe(`Comments on ${post3.title} — ${SITE_NAME}`);
  });

  it('not found: no canonical URL', () => {
    expect(headFor(state(notFound))).toEqual({
      title: `Page not found — ${SITE_NAME}`,
      description: 'This page does not exist.',
      canonical: null,
    });
  });

  it('bad request: no canonical URL', () => {
    expect(headFor(state(badRequest))).toEqual({
      title: `Bad request — ${SITE_NAME}`,
      description: 'This address is not valid.',
      canonical: null,
    });
  });

  it.each([
    [500, 'Internal Server Error'],
    [504, 'Gateway Timeout'],
    [503, 'Service Unavailable'],
  ])('error %i: status and message in the title, no canonical URL', (status, message) => {
    // The server builds error states with an empty origin.
    const head = headFor({ ...initialBlogState(errorPage(status, message), '') });

    expect(head.title).toBe(`${status} ${message} — ${SITE_NAME}`);
    expect(head.description).toBe('Something went wrong.');
    expect(head.canonical).toBeNull();
  });

  it('returns the title as text: escaping is the renderer’s job, so a hostile title is kept verbatim', () => {
    const hostile = 'Why </script><script>alert(1)</script> in a title is harmless here';
    const head = headFor(state(postPage(7), { postsById: { 7: { ...post3, id: 7, title: hostile } } }));
    expect(head.title).toBe(`${hostile} — ${SITE_NAME}`);
  });

  it('canonical URLs are absolute, on the state’s origin, for any id and page kind', () => {
    const origin = fc.constantFrom('https://blog.example.com', 'http://localhost:3000', 'https://example.org:8443');
    const id = fc.integer({ min: 1, max: 1_000_000_000 });
    const kind = fc.constantFrom('post', 'comments', 'home');
    fc.assert(
      fc.property(origin, id, kind, fc.boolean(), (o, n, k, loaded) => {
        const page = k === 'home' ? home : k === 'post' ? postPage(n) : commentsPage(n);
        const s: BlogState = {
          ...initialBlogState(page, o),
          postsById: loaded ? { [n]: { ...post3, id: n } } : {},
        };
        const { canonical } = headFor(s);
        const expected = k === 'home' ? `${o}/` : k === 'post' ? `${o}/posts/${n}` : `${o}/posts/${n}/comments`;

        expect(canonical).toBe(expected);
        const url = new URL(canonical!);
        expect(url.origin).toBe(o);
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
      }),
    );
  });

  it('every head has a non-empty title naming the site and a non-empty description', () => {
    const pages = [
      home,
      postPage(3),
      commentsPage(3),
      postPage(8),
      notFound,
      badRequest,
      errorPage(504, 'Gateway Timeout'),
    ];
    for (const page of pages) {
      for (const load of [READY, LOADING, MISSING, BROKEN]) {
        const head = headFor(withPost3(page, load));
        expect(head.title).toContain(SITE_NAME);
        expect(head.description.length).toBeGreaterThan(0);
      }
    }
  });
});

describe('statusFor', () => {
  it.each<[string, number, BlogState]>([
    ['home, ready', 200, state(home)],
    ['post, ready', 200, withPost3(postPage(3))],
    ['comments, ready', 200, withPost3(commentsPage(3))],
    ['post, still loading', 200, state(postPage(3), { load: LOADING })],
    ['post that does not exist', 404, state(postPage(999), { load: MISSING })],
    ['comments of a post that does not exist', 404, state(commentsPage(999), { load: MISSING })],
    ['home whose data source answered 503', 503, state(home, { load: BROKEN })],
    ['post whose data source answered 503', 503, state(postPage(3), { load: BROKEN })],
    [
      'post whose request never reached the server',
      502,
      state(postPage(3), { load: { status: 'failed', httpStatus: 0, message: 'The network request failed.' } }),
    ],
    ['not found page', 404, state(notFound)],
    ['bad request page', 400, state(badRequest)],
    ['error page 504', 504, state(errorPage(504, 'Gateway Timeout'))],
    ['error page 500', 500, state(errorPage(500, 'Internal Server Error'))],
    ['error page 503', 503, state(errorPage(503, 'Service Unavailable'))],
  ])('%s → %i', (_name, status, s) => {
    expect(statusFor(s)).toBe(status);
  });

  it('the page kind wins over the load status for not-found, bad-request and error pages', () => {
    for (const load of [READY, LOADING, MISSING, BROKEN]) {
      expect(statusFor(state(notFound, { load }))).toBe(404);
      expect(statusFor(state(badRequest, { load }))).toBe(400);
      expect(statusFor(state(errorPage(504, 'Gateway Timeout'), { load }))).toBe(504);
    }
  });

  it('an error page answers with whatever status it carries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 400, max: 599 }), (status) => {
        expect(statusFor(state(errorPage(status, 'Whatever')))).toBe(status);
      }),
    );
  });

  it('successful pages have a canonical URL; not-found, bad-request and error pages have none', () => {
    const cases: BlogState[] = [
      state(home),
      withPost3(postPage(3)),
      withPost3(commentsPage(3)),
      state(notFound),
      state(badRequest),
      state(errorPage(504, 'Gateway Timeout')),
    ];
    for (const s of cases) {
      const ok = statusFor(s) === 200;
      expect(headFor(s).canonical === null, `${s.page.route}: status ${statusFor(s)}`).toBe(!ok);
    }
  });
});
