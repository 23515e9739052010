/**
 * Two blog instances on one PostgreSQL database and one Redis, as a deployment with several
 * machines runs: a comment written through either is read by the other, and the pages it changes
 * stop being served from the shared page cache by both, before the write's answer arrives.
 */
import { requirePostgresTier, requireRedis } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Comment } from '../src/shared/model.js';
import { startTwoBlogInstances, type TwoBlogInstances } from './support/blog-two-instances.js';
import type { BlogServer } from './support/form-browser.js';
import { signedInSession } from './support/sessions.js';

const postgres = await requirePostgresTier();
const redisUrl = await requireRedis();

describe.skipIf(!postgres || !redisUrl)('two instances on one PostgreSQL and one Redis', () => {
  let a: BlogServer;
  let b: BlogServer;
  let instances: TwoBlogInstances | undefined;

  beforeAll(async () => {
    instances = await startTwoBlogInstances(postgres!, redisUrl!, 'two-instances');
    ({ a, b } = instances);
  }, 60_000);
  afterAll(() => instances?.close());

  let readers = 0;

  /** Comments need an account: a new reader signs up on `server` and comments there. */
  async function comment(server: BlogServer, postId: number, body: string): Promise<Comment> {
    const { cookie, token } = await signedInSession(server, { name: 'Ada', email: `ada-${++readers}@example.org` });
    const response = await server.inject({
      method: 'POST',
      url: `/api/posts/${postId}/comments`,
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': token },
      payload: JSON.stringify({ body }),
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ comment: Comment }>().comment;
  }

  it('a comment written through one instance is read through the other', async () => {
    const onA = await comment(a, 3, 'Written through A');
    const onB = await comment(b, 3, 'Written through B');
    for (const server of [a, b]) {
      const { comments } = (await server.inject('/api/posts/3/comments')).json<{ comments: Comment[] }>();
      expect(comments.slice(-2)).toEqual([onA, onB]);
    }
  });

  it('a page cached by one instance is shared, and a write through the other drops it for both', async () => {
    const page = '/posts/4/comments';
    expect((await a.inject(page)).headers['x-cache']).toBe('MISS');
    expect((await b.inject(page)).headers['x-cache']).toBe('HIT');
    expect((await a.inject('/')).headers['x-cache']).toMatch(/MISS|HIT/);
    expect((await b.inject('/')).headers['x-cache']).toBe('HIT');

    await comment(b, 4, 'Seen everywhere at once');

    for (const [server, path] of [
      [a, page],
      [b, '/'],
    ] as const) {
      const response = await server.inject(path);
      expect(response.headers['x-cache'], `${path} after the write`).toBe('MISS');
    }
    expect((await a.inject(page)).body).toContain('Seen everywhere at once');
    expect((await b.inject(page)).headers['x-cache']).toBe('HIT');
    const { post } = (await b.inject('/api/posts/4')).json<{ post: { commentCount: number } }>();
    expect((await a.inject('/')).body).toContain(`${post.commentCount} comments`);
  });
});
