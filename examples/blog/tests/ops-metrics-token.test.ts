/**
 * A site with accounts reads `Authorization: Bearer …` as an API key or access token. /metrics has
 * a bearer token of its own (METRICS_TOKEN): a scraper sending it must get the metrics, not the
 * accounts' "neither an access token nor an API key" 401; a wrong token is still refused.
 */
import { embeddedTier } from '@composable-svelte/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBlogOnTier, type BlogOnTier } from './support/blog-on-tier.js';
import { TEST_ENV } from './support/test-env.js';

const TOKEN = 'metrics-token-0123456789abcdefghij';

describe('/metrics with METRICS_TOKEN on a site with accounts', () => {
  let blog: BlogOnTier | undefined;
  beforeAll(async () => {
    blog = await startBlogOnTier(embeddedTier, { ...TEST_ENV, NODE_ENV: 'production', METRICS_TOKEN: TOKEN });
  }, 60_000);
  afterAll(() => blog?.close());

  it('answers the scraper that sends the token', async () => {
    const response = await blog!.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    expect(response.body).toContain('http_request_duration_seconds');
  });

  it('refuses a wrong token with the metrics challenge', async () => {
    const response = await blog!.server.inject({ url: '/metrics', headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(response.body).not.toContain('# HELP');
  });
});
