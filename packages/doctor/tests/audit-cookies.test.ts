import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/index.js';
import { hardenedEvidence, response } from './support/evidence.js';

/** The cookie results for a page setting these cookies. */
function cookieResults(setCookie: string | readonly string[]) {
  const page = response('/subscribe', 200, { 'content-type': 'text/html', 'set-cookie': setCookie }, '<p>form</p>');
  return evaluate(hardenedEvidence({ extraPages: [page] })).filter((r) => r.id.startsWith('cookie'));
}

describe('cookies', () => {
  it('passes when no response sets a cookie', () => {
    expect(evaluate(hardenedEvidence()).filter((r) => r.id.startsWith('cookie'))).toEqual([
      { id: 'cookies', status: 'pass', detail: 'no Set-Cookie on the audited responses' },
    ]);
  });

  it('passes a __Host- session cookie with every flag', () => {
    expect(cookieResults('__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax')).toEqual([
      {
        id: 'cookie __Host-session',
        status: 'pass',
        detail: 'set by /subscribe: Secure, HttpOnly, SameSite=lax',
      },
    ]);
  });

  it.each([
    ['no Secure', 'session=abc; Path=/; HttpOnly; SameSite=Lax', 'no Secure'],
    ['no HttpOnly on a session cookie', 'session=abc; Path=/; Secure; SameSite=Lax', 'no HttpOnly'],
    ['no HttpOnly on a CSRF secret', '_csrf=abc; Path=/; Secure; SameSite=Strict', 'no HttpOnly'],
    ['no SameSite', 'theme=dark; Path=/; Secure; HttpOnly', 'no SameSite'],
    ['SameSite=None without Secure', 'theme=dark; HttpOnly; SameSite=None', 'SameSite=None'],
    ['an unknown SameSite', 'theme=dark; Secure; HttpOnly; SameSite=Sometimes', 'invalid SameSite=sometimes'],
    [
      '__Host- with a Domain',
      '__Host-id=1; Path=/; Domain=example.com; Secure; HttpOnly; SameSite=Lax',
      '__Host- prefix',
    ],
    ['__Host- on a sub-path', '__Host-id=1; Path=/app; Secure; HttpOnly; SameSite=Lax', '__Host- prefix'],
    ['__Secure- without Secure', '__Secure-id=1; Path=/; HttpOnly; SameSite=Lax', '__Secure- prefix needs Secure'],
  ])('fails a cookie with %s', (_label, setCookie, named) => {
    const [result] = cookieResults(setCookie);
    expect(result?.status).toBe('fail');
    expect(result?.detail).toContain(named);
  });

  it('warns where the __Host- prefix would apply, and about a script-readable cookie that holds no secret', () => {
    expect(cookieResults('cs_csrf=abc; Path=/; Secure; HttpOnly; SameSite=Strict')).toEqual([
      {
        id: 'cookie cs_csrf',
        status: 'warn',
        detail: 'set by /subscribe: Secure, HttpOnly, SameSite=strict — could be named __Host-cs_csrf',
      },
    ]);
    expect(cookieResults('theme=dark; Path=/; Secure; SameSite=Lax')[0]).toMatchObject({
      status: 'warn',
      detail: expect.stringContaining('no HttpOnly'),
    });
  });

  it('judges each cookie of several lines, or of one folded line, on its own', () => {
    const results = cookieResults([
      'a=1; Secure; HttpOnly; SameSite=Strict; Expires=Wed, 21 Oct 2037 07:28:00 GMT, login=2; Secure; SameSite=Strict',
    ]);
    expect(results.map((r) => [r.id, r.status])).toEqual([
      ['cookie a', 'pass'],
      ['cookie login', 'fail'],
    ]);
  });
});
