/**
 * The subscribe endpoint must not tell whoever asks whether an address is on the list: subscribing
 * an address twice answers exactly like the first time, and still stores it once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInMemorySubscriptionsRepository } from '../src/server/subscriptions-repository.js';
import { loadBuiltApp } from './support/built-server.js';

type BlogServer = Awaited<ReturnType<Awaited<ReturnType<typeof loadBuiltApp>>['createBlogServer']>>;
type InjectResponse = Awaited<ReturnType<BlogServer['inject']>>;

const ENV = {
  NODE_ENV: 'production',
  LOG_LEVEL: 'silent',
  PUBLIC_URL: 'https://blog.example.com',
  SESSION_SECRET: 'test-secret-that-is-at-least-32-characters',
} as const;

const subscriptions = createInMemorySubscriptionsRepository();
let server: BlogServer;

beforeAll(async () => {
  const app = await loadBuiltApp();
  server = await app.createBlogServer({ env: { ...ENV }, subscriptions });
});

afterAll(async () => {
  await server?.close();
});

async function csrf(): Promise<{ token: string; cookie: string }> {
  const response = await server.inject('/api/csrf');
  expect(response.statusCode).toBe(200);
  const cookie = String(response.headers['set-cookie']).split(';')[0]!;
  return { token: response.json<{ token: string }>().token, cookie };
}

async function subscribeJson(name: string, email: string): Promise<InjectResponse> {
  const { token, cookie } = await csrf();
  return server.inject({
    method: 'POST',
    url: '/subscribe',
    headers: { 'content-type': 'application/json', accept: 'application/json', cookie, 'x-csrf-token': token },
    payload: JSON.stringify({ name, email }),
  });
}

async function subscribeForm(name: string, email: string): Promise<InjectResponse> {
  const { token, cookie } = await csrf();
  return server.inject({
    method: 'POST',
    url: '/subscribe',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ _csrf: token, name, email }).toString(),
  });
}

/** What a client can observe of an answer, minus what differs on every response anyway. */
function observable(response: InjectResponse) {
  const {
    date: _date,
    'x-request-id': _id,
    'set-cookie': _cookie,
    'ratelimit-remaining': _remaining,
    ...headers
  } = response.headers;
  return { status: response.statusCode, headers, body: response.body };
}

describe('subscribing an address that is already on the list', () => {
  it('answers the JSON client exactly as for a new address, and keeps one row', async () => {
    const before = await subscriptions.count();
    const first = await subscribeJson('Ada', 'ada.lovelace@example.com');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ subscription: { name: 'Ada' } });
    for (const email of ['ada.lovelace@example.com', 'ADA.Lovelace@Example.com']) {
      const again = await subscribeJson('Ada', email);
      expect(observable(again), email).toEqual(observable(first));
    }
    expect(await subscriptions.count()).toBe(before + 1);
  });

  it('redirects the form to the same confirmation as for a new address, and keeps one row', async () => {
    const before = await subscriptions.count();
    const first = await subscribeForm('Grace', 'grace.hopper@example.com');
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/subscribe?subscribed=1');
    const again = await subscribeForm('Grace', 'grace.hopper@example.com');
    expect(observable(again)).toEqual(observable(first));
    expect(await subscriptions.count()).toBe(before + 1);
  });
});
