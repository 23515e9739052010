import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemoryPostsRepository } from '../src/server/in-memory-posts-repository.js';
import type { Comment, Post, PostSummary, PostsRepository } from '../src/shared/model.js';
import { loadBuiltApp } from './support/built-server.js';

type AppModule = Awaited<ReturnType<typeof loadBuiltApp>>;
type BlogServer = Awaited<ReturnType<AppModule['createBlogServer']>>;
type InjectResponse = Awaited<ReturnType<BlogServer['inject']>>;

const ENV = {
  NODE_ENV: 'production',
  // Each server its own embedded database: test files run in parallel.
  DATABASE_DIR: 'memory://',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
} as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_TYPE = /^application\/json(;\s*charset=utf-8)?$/i;

interface ErrorBody {
  error: {
    status: number;
    code: string;
    message: string;
    requestId: string;
    details?: { path: string; message: string }[];
  };
}

let app: AppModule;
let server: BlogServer;
const seed = createInMemoryPostsRepository();
/** What the endpoints should answer: the repository's data as it looks after a JSON round trip. */
const asJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

beforeAll(async () => {
  app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV } });
});

afterAll(async () => {
  await server?.close();
});

const get = (url: string, headers: Record<string, string> = {}) => server.inject({ method: 'GET', url, headers });

function expectJson(res: InjectResponse): void {
  expect(res.headers['content-type']).toMatch(JSON_TYPE);
  expect(() => JSON.parse(res.body)).not.toThrow();
}

/** The error envelope every API failure shares; the request id matches the response header. */
function expectError(res: InjectResponse, status: number, code: string): ErrorBody['error'] {
  expect(res.statusCode).toBe(status);
  expectJson(res);
  const { error } = res.json<ErrorBody>();
  expect(error.status).toBe(status);
  expect(error.code).toBe(code);
  expect(typeof error.message).toBe('string');
  expect(error.message.length).toBeGreaterThan(0);
  expect(error.requestId).toMatch(UUID);
  expect(error.requestId).toBe(res.headers['x-request-id']);
  expect(res.body).not.toContain('<html');
  return error;
}

describe('GET /api/posts', () => {
  it('lists the 24 posts, newest first, as summaries without bodies', async () => {
    const res = await get('/api/posts');

    expect(res.statusCode).toBe(200);
    expectJson(res);
    const { posts } = res.json<{ posts: PostSummary[] }>();
    expect(posts).toHaveLength(24);
    expect(posts).toEqual(asJson(await seed.listPosts()));
    for (let i = 1; i < posts.length; i++) {
      expect(Date.parse(posts[i - 1]!.publishedAt)).toBeGreaterThanOrEqual(Date.parse(posts[i]!.publishedAt));
    }
    expect(new Set(posts.map((p) => p.id)).size).toBe(24);
    for (const post of posts) expect(post).not.toHaveProperty('body');
  });

  it('has no other top-level keys', async () => {
    expect(Object.keys((await get('/api/posts')).json())).toEqual(['posts']);
  });

  it('answers JSON even when the client prefers HTML', async () => {
    const res = await get('/api/posts', { accept: 'text/html' });
    expect(res.statusCode).toBe(200);
    expectJson(res);
  });
});

describe('GET /api/posts/:id', () => {
  it('returns the post with its body', async () => {
    const res = await get('/api/posts/3');

    expect(res.statusCode).toBe(200);
    expectJson(res);
    const { post } = res.json<{ post: Post }>();
    expect(post).toEqual(asJson(await seed.getPost(3)));
    expect(post.id).toBe(3);
    expect(post.bodyHtml).toMatch(/^<p>/);
  });

  it('returns the hostile title of post 7 verbatim: JSON is data, not markup', async () => {
    const { post } = (await get('/api/posts/7')).json<{ post: Post }>();
    expect(post.title).toBe('Why </script><script>alert(1)</script> in a title is harmless here');
  });

  it('answers a post that does not exist with a JSON 404', async () => {
    const error = expectError(await get('/api/posts/999'), 404, 'NOT_FOUND');
    expect(error.message).toContain('999');
  });
});

describe('GET /api/posts/:id/comments', () => {
  it('returns the comments of post 3, oldest first', async () => {
    const res = await get('/api/posts/3/comments');

    expect(res.statusCode).toBe(200);
    expectJson(res);
    const { comments } = res.json<{ comments: Comment[] }>();
    expect(comments.length).toBeGreaterThanOrEqual(4);
    expect(comments).toEqual(asJson(await seed.listComments(3)));
    for (const comment of comments) expect(comment.postId).toBe(3);
    for (let i = 1; i < comments.length; i++) {
      expect(Date.parse(comments[i - 1]!.createdAt)).toBeLessThanOrEqual(Date.parse(comments[i]!.createdAt));
    }
  });

  it.each([5, 16, 20])('returns an empty list for post %i, which has no comments', async (id) => {
    const res = await get(`/api/posts/${id}/comments`);

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ comments: [] });
  });

  it('answers comments of a post that does not exist with a JSON 404', async () => {
    expectError(await get('/api/posts/999/comments'), 404, 'NOT_FOUND');
  });
});

describe('invalid ids', () => {
  const cases: [string, string][] = [
    ['abc', 'must be an integer'],
    ['03', 'must be an integer'],
    ['0', 'must be ≥ 1'],
    ['-5', 'must be ≥ 1'],
    ['1.5', 'must be an integer'],
    ['1e3', 'must be an integer'],
    ['0x10', 'must be an integer'],
    ['%20', 'must be an integer'],
    ['99999999999999999999', 'must be ≤ 1000000000'],
    ['1000000001', 'must be ≤ 1000000000'],
  ];

  for (const suffix of ['', '/comments']) {
    it.each(cases)(`/api/posts/%s${suffix} is a JSON 400 that names params.id`, async (id, message) => {
      const res = await get(`/api/posts/${id}${suffix}`);

      const error = expectError(res, 400, 'BAD_REQUEST');
      expect(error.details).toEqual([{ path: 'params.id', message }]);
      expect(error.message).toContain('params.id');
    });
  }

  it('accepts the largest allowed id and answers 404 for it', async () => {
    expectError(await get('/api/posts/1000000000'), 404, 'NOT_FOUND');
  });
});

describe('unknown API paths', () => {
  it.each(['/api/nope', '/api/posts/3/nope', '/api/posts/3/comments/1', '/api/', '/api/nope?x=1'])(
    '%s is a JSON 404, not an HTML page',
    async (url) => {
      const res = await get(url, { accept: 'text/html,application/xhtml+xml' });
      const error = expectError(res, 404, 'NOT_FOUND');
      expect(error.message).not.toContain('?');
    },
  );

  it('/api itself is a JSON 404, not an HTML page', async () => {
    const res = await get('/api', { accept: 'text/html' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(JSON_TYPE);
  });

  // POST /api/posts writes a post (authors-write-posts.test.ts); the other methods have no route.
  it.each(['PUT', 'DELETE', 'PATCH'] as const)('%s /api/posts is a JSON 404', async (method) => {
    const res = await server.inject({ method, url: '/api/posts' });
    expectError(res, 404, 'NOT_FOUND');
    expect(res.json<ErrorBody>().error.message).toContain(method);
  });
});

describe('failures behind the API', () => {
  const SECRET = 'connect ECONNREFUSED postgres://blog:s3cr3t@10.0.0.5/blog';

  async function failingWith(error: Error, url: string): Promise<InjectResponse> {
    const repository: PostsRepository = {
      ...createInMemoryPostsRepository(),
      listPosts: () => Promise.reject(error),
      getPost: () => Promise.reject(error),
      listComments: () => Promise.reject(error),
    };
    const failing = await app.createBlogServer({ env: { ...ENV }, repository });
    try {
      return await failing.inject({ method: 'GET', url });
    } finally {
      await failing.close();
    }
  }

  it.each(['/api/posts', '/api/posts/3', '/api/posts/3/comments'])(
    '%s answers a failing repository with a JSON 500 that hides the internal message',
    async (url) => {
      const res = await failingWith(new Error(SECRET), url);

      const error = expectError(res, 500, 'INTERNAL_SERVER_ERROR');
      expect(error.message).toBe('Internal Server Error');
      expect(res.body).not.toContain('s3cr3t');
      expect(res.body).not.toContain('10.0.0.5');
      expect(res.body).not.toMatch(/\bat .+:\d+:\d+/);
    },
  );

  it('does not reveal an internal error code either (e.g. a Node system error)', async () => {
    const systemError = Object.assign(new Error(SECRET), { code: 'ECONNREFUSED', errno: -111, syscall: 'connect' });
    const res = await failingWith(systemError, '/api/posts');

    expect(res.statusCode).toBe(500);
    expectJson(res);
    expect(res.json<ErrorBody>().error.message).toBe('Internal Server Error');
    expect(res.body.includes('ECONNREFUSED'), `the response reveals the internal error code: ${res.body}`).toBe(false);
  });
});

describe('every API response', () => {
  it('is JSON and carries a request id', async () => {
    const urls = [
      '/api/posts',
      '/api/posts/3',
      '/api/posts/3/comments',
      '/api/posts/abc',
      '/api/posts/999',
      '/api/nope',
    ];
    for (const url of urls) {
      const res = await get(url);
      expect(res.headers['content-type'], url).toMatch(JSON_TYPE);
      expect(res.headers['x-request-id'], url).toMatch(UUID);
    }
  });
});
