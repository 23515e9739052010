/** Guards are plain functions of the request context: composable, and exact about 401 versus 403. */
import { describe, expect, it } from 'vitest';
import { allOf, anyOf, guardFor, hasRole, hasScopes, signedIn } from '../src/auth/guards.js';
import type { Principal } from '../src/auth/principal.js';

const viewer = (roles: string[]) => ({ id: 1, name: 'Ada', roles });
const session = (roles: string[]): Principal => ({
  viewer: viewer(roles),
  via: 'session',
  scopes: 'all',
  sessionId: 'x',
});
const token = (scopes: string[], roles: string[] = []): Principal => ({
  viewer: viewer(roles),
  via: 'access-token',
  scopes,
});
const decide = (guard: ReturnType<typeof guardFor>, principal: Principal | null) => {
  const decision = guard({ principal });
  return decision.allow ? 'allow' : decision.status;
};

describe('guards', () => {
  it('answer 401 to nobody and 403 to someone without the right', () => {
    expect(decide(signedIn, null)).toBe(401);
    expect(decide(signedIn, session([]))).toBe('allow');
    expect(decide(hasRole('admin'), null)).toBe(401);
    expect(decide(hasRole('admin'), session(['author']))).toBe(403);
    expect(decide(hasRole('admin', 'author'), session(['author']))).toBe('allow');
    expect(decide(hasScopes('posts:write'), token(['posts:read']))).toBe(403);
    expect(decide(hasScopes('posts:write', 'posts:read'), token(['posts:read', 'posts:write']))).toBe('allow');
    expect(decide(hasScopes('posts:write'), session([]))).toBe('allow');
  });

  it('compose: allOf needs every one, anyOf one, and anyOf offers sign-in first', () => {
    const authorWithScope = allOf(hasRole('author'), hasScopes('posts:write'));
    expect(decide(authorWithScope, token(['posts:write'], ['author']))).toBe('allow');
    expect(decide(authorWithScope, token(['posts:read'], ['author']))).toBe(403);
    expect(decide(authorWithScope, token(['posts:write'], ['reader']))).toBe(403);
    const either = anyOf(hasRole('admin'), hasRole('author'));
    expect(decide(either, session(['author']))).toBe('allow');
    expect(decide(either, session(['reader']))).toBe(403);
    expect(decide(either, null)).toBe(401);
  });

  it('route requirements map onto guards', () => {
    expect(decide(guardFor('optional'), null)).toBe('allow');
    expect(decide(guardFor('required'), null)).toBe(401);
    expect(decide(guardFor({ roles: ['admin'] }), session(['admin']))).toBe('allow');
    expect(decide(guardFor({ scopes: ['a'] }), token([]))).toBe(403);
    const custom = guardFor(({ principal }) =>
      principal?.viewer.id === 1 ? { allow: true } : { allow: false, status: 403, message: 'Only user 1.' },
    );
    expect(decide(custom, session([]))).toBe('allow');
  });
});
