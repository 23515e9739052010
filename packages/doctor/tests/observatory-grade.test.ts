import { describe, expect, it } from 'vitest';
import {
  formatGrade,
  gradeResponse,
  letterGrade,
  OBSERVATORY_EXPECTATIONS,
  OBSERVATORY_ORIGIN,
  scoreResults,
  scriptTags,
  type Expectation,
  type GradedHeaders,
  type GradeOptions,
  type ObservatoryTest,
} from '../src/index.js';

const URL_ = 'https://blog.example.com/posts/1';
const SRI = 'sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC';

/** What a hardened page looks like: module script with integrity, state as a JSON data block. */
const PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Post</title>' +
  `<link rel="modulepreload" href="/assets/entry-abc.js" integrity="${SRI}" crossorigin="anonymous"></head>` +
  '<body><div id="app"><h1>Post</h1></div>' +
  '<script type="application/json" id="state">{"title":"<script src=\'http://evil.example/x.js\'>"}</script>' +
  `<script type="module" src="/assets/entry-abc.js" integrity="${SRI}" crossorigin="anonymous"></script></body></html>`;

/** Every header right: 100 + 10 (CSP) + 5 (Referrer) + 5 (SRI) + 5 (XFO) + 10 (CORP) + 10 (COOP) + 10 (COEP) = 155. */
const HARDENED: GradedHeaders = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
    "manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
};

/** The hardened response with some headers replaced; `undefined` removes one. */
function respond(overrides: GradedHeaders = {}, body = PAGE, options?: GradeOptions) {
  const headers: GradedHeaders = { ...HARDENED, ...overrides };
  return gradeResponse({ url: URL_, status: 200, headers, body }, options);
}

function expectationOf(
  test: ObservatoryTest,
  overrides: GradedHeaders = {},
  body = PAGE,
  options?: GradeOptions,
): Expectation {
  const found = respond(overrides, body, options).results.filter((r) => r.test === test);
  expect(found).toHaveLength(1);
  return found[0]!.expectation;
}

type Case = readonly [label: string, value: string | readonly string[] | undefined, expected: Expectation];

describe('the embedded score table', () => {
  it('holds every v6 expectation with its modifier', () => {
    expect(Object.keys(OBSERVATORY_EXPECTATIONS)).toHaveLength(77);
    expect(OBSERVATORY_EXPECTATIONS.CspImplementedWithNoUnsafeDefaultSrcNone.modifier).toBe(10);
    expect(OBSERVATORY_EXPECTATIONS.CookiesSessionWithoutSecureFlag.modifier).toBe(-40);
    expect(OBSERVATORY_EXPECTATIONS.CrossOriginResourceSharingImplementedWithUniversalAccess.modifier).toBe(-50);
    expect(OBSERVATORY_EXPECTATIONS.HtmlNotParseable.modifier).toBe(-20);
  });

  it('reports one result per test, in a fixed order, with the table’s modifier and description', () => {
    const { results } = respond();
    expect(results.map((r) => r.test)).toEqual([
      'content-security-policy',
      'cookies',
      'cross-origin-resource-sharing',
      'redirection',
      'referrer-policy',
      'strict-transport-security',
      'subresource-integrity',
      'x-content-type-options',
      'x-frame-options',
      'cross-origin-resource-policy',
      'cross-origin-opener-policy',
      'cross-origin-embedder-policy',
    ]);
    for (const r of results) {
      expect(r.modifier).toBe(OBSERVATORY_EXPECTATIONS[r.expectation].modifier);
      expect(r.description).toBe(OBSERVATORY_EXPECTATIONS[r.expectation].description);
    }
  });
});

describe('content-security-policy', () => {
  const cases: Case[] = [
    ['no header', undefined, 'CspNotImplemented'],
    ['an empty header', '', 'CspHeaderInvalid'],
    ['a colon after the directive name', "default-src 'none'; script-src: 'self'", 'CspHeaderInvalid'],
    ['an unbalanced quote', "default-src 'self", 'CspHeaderInvalid'],
    [
      "'strict-dynamic' without a nonce or hash",
      "default-src 'none'; script-src 'strict-dynamic'; form-action 'self'",
      'CspHeaderInvalid',
    ],
    [
      "default-src 'none' but script-src 'unsafe-inline'",
      "default-src 'none'; script-src 'self' 'unsafe-inline'; form-action 'self'",
      'CspImplementedWithUnsafeInline',
    ],
    ['data: in script-src', "default-src 'self'; script-src 'self' data:", 'CspImplementedWithUnsafeInline'],
    ['https: in script-src', "default-src 'self'; script-src https:", 'CspImplementedWithUnsafeInline'],
    ['a * host in script-src', "default-src 'self'; script-src https://*", 'CspImplementedWithUnsafeInline'],
    ['default-src *', 'default-src *', 'CspImplementedWithUnsafeInline'],
    ['object-src *', "default-src 'self'; object-src *", 'CspImplementedWithUnsafeInline'],
    ['object-src unrestricted', "script-src 'self'", 'CspImplementedWithUnsafeInline'],
    ['script-src unrestricted', "object-src 'none'; img-src 'self'", 'CspImplementedWithUnsafeInline'],
    [
      "script-src-attr 'unsafe-inline'",
      "default-src 'self'; script-src-attr 'unsafe-inline'",
      'CspImplementedWithUnsafeInline',
    ],
    [
      "'unsafe-inline' next to a nonce (ignored by browsers)",
      "default-src 'self'; script-src 'nonce-R4nd0m' 'unsafe-inline'",
      'CspImplementedWithNoUnsafe',
    ],
    [
      "'strict-dynamic' with a nonce and legacy fallbacks",
      "default-src 'self'; script-src 'nonce-R4nd0m' 'strict-dynamic' https: 'unsafe-inline'",
      'CspImplementedWithNoUnsafe',
    ],
    ["'unsafe-eval'", "default-src 'self'; script-src 'self' 'unsafe-eval'", 'CspImplementedWithUnsafeEval'],
    [
      'http: for active content',
      "default-src 'self'; connect-src 'self' http://api.example.com",
      'CspImplementedWithInsecureScheme',
    ],
    ['http: in default-src', "default-src 'self' http://cdn.example.com", 'CspImplementedWithInsecureScheme'],
    [
      'http: for images only',
      "default-src 'self'; img-src 'self' http:",
      'CspImplementedWithInsecureSchemeInPassiveContentOnly',
    ],
    [
      "'unsafe-inline' in style-src only",
      "default-src 'self'; style-src 'self' 'unsafe-inline'",
      'CspImplementedWithUnsafeInlineInStyleSrcOnly',
    ],
    ['styles unrestricted', "script-src 'self'; object-src 'none'", 'CspImplementedWithUnsafeInlineInStyleSrcOnly'],
    ["default-src 'self'", "default-src 'self'", 'CspImplementedWithNoUnsafe'],
    [
      "default-src 'none' without form-action",
      "default-src 'none'; script-src 'self'; style-src 'self'",
      'CspImplementedWithNoUnsafe',
    ],
    [
      'form-action to a specific source',
      "default-src 'none'; script-src 'self'; form-action https://blog.example.com",
      'CspImplementedWithNoUnsafe',
    ],
    [
      "default-src 'none' and form-action 'self'",
      "default-src 'none'; script-src 'self'; style-src 'self'; form-action 'self'",
      'CspImplementedWithNoUnsafeDefaultSrcNone',
    ],
    [
      "default-src 'none' and form-action 'none'",
      "DEFAULT-SRC 'NONE'; Form-Action 'none'",
      'CspImplementedWithNoUnsafeDefaultSrcNone',
    ],
    [
      'a duplicated directive',
      "default-src 'none'; form-action 'self'; default-src 'self'",
      'CspImplementedButDuplicateDirectives',
    ],
    [
      'a duplicate next to a worse problem',
      "default-src 'self'; script-src 'unsafe-inline'; default-src 'none'",
      'CspImplementedWithUnsafeInline',
    ],
    // Two headers: browsers enforce both, so only what both allow is allowed.
    [
      'two headers, one unsafe',
      ["default-src 'self'; script-src 'self' 'unsafe-inline'", "script-src 'self'"],
      'CspImplementedWithNoUnsafe',
    ],
    [
      'two headers, both unsafe',
      ["default-src 'self'; script-src 'unsafe-inline'", "script-src 'self' 'unsafe-inline'"],
      'CspImplementedWithUnsafeInline',
    ],
    [
      'two comma-separated policies',
      "default-src 'none'; form-action 'none', script-src 'self'",
      'CspImplementedWithNoUnsafeDefaultSrcNone',
    ],
    [
      'the same directive in two policies is no duplicate',
      "default-src 'self', default-src 'self'",
      'CspImplementedWithNoUnsafe',
    ],
  ];
  it.each(cases)('%s', (_label, csp, expected) => {
    expect(expectationOf('content-security-policy', { 'content-security-policy': csp })).toBe(expected);
  });

  it('counts a report-only policy as reporting, not enforcement', () => {
    const reportOnly = {
      'content-security-policy': undefined,
      'content-security-policy-report-only': "default-src 'none'",
    };
    expect(expectationOf('content-security-policy', reportOnly)).toBe('CspNotImplementedButReportingEnabled');
    // Next to an enforced policy, the enforced one is graded.
    expect(expectationOf('content-security-policy', { 'content-security-policy-report-only': 'default-src *' })).toBe(
      'CspImplementedWithNoUnsafeDefaultSrcNone',
    );
  });

  it('reads header names case-insensitively', () => {
    const headers = {
      'content-security-policy': undefined,
      'Content-Security-Policy': "default-src 'self'; script-src 'unsafe-eval' 'self'",
    };
    expect(expectationOf('content-security-policy', headers)).toBe('CspImplementedWithUnsafeEval');
  });
});

describe('cookies', () => {
  const LONG_HSTS = { 'strict-transport-security': 'max-age=31536000' };
  const NO_HSTS = { 'strict-transport-security': undefined };
  const DAY_HSTS = { 'strict-transport-security': 'max-age=86400' };
  const cases: ReadonlyArray<readonly [string, string | readonly string[] | undefined, GradedHeaders, Expectation]> = [
    ['no Set-Cookie', undefined, LONG_HSTS, 'CookiesNotFound'],
    [
      'a hardened session cookie',
      'sessionid=abc; Path=/; Secure; HttpOnly; SameSite=Lax',
      LONG_HSTS,
      'CookiesSecureWithHttponlySessionsAndSamesite',
    ],
    [
      'sessionid without HttpOnly',
      'sessionid=abc; Path=/; Secure; SameSite=Lax',
      LONG_HSTS,
      'CookiesSessionWithoutHttponlyFlag',
    ],
    [
      'a login cookie without HttpOnly (any case)',
      'LOGIN_TOKEN=abc; Secure; SameSite=Strict',
      LONG_HSTS,
      'CookiesSessionWithoutHttponlyFlag',
    ],
    ['a secure cookie without SameSite', 'theme=dark; Secure', LONG_HSTS, 'CookiesSecureWithHttponlySessions'],
    [
      'a secure cookie with SameSite=None',
      'theme=dark; Secure; SameSite=None',
      LONG_HSTS,
      'CookiesSecureWithHttponlySessions',
    ],
    ['SameSite=None without Secure', 'theme=dark; SameSite=None', LONG_HSTS, 'CookiesSamesiteFlagInvalid'],
    ['an unknown SameSite value', 'theme=dark; Secure; SameSite=Sometimes', LONG_HSTS, 'CookiesSamesiteFlagInvalid'],
    ['SameSite without a value', 'theme=dark; Secure; SameSite', LONG_HSTS, 'CookiesSamesiteFlagInvalid'],
    [
      'an anti-CSRF cookie without SameSite',
      '_csrf=tok; Path=/; Secure',
      LONG_HSTS,
      'CookiesAnticsrfWithoutSamesiteFlag',
    ],
    [
      'an XSRF cookie with SameSite',
      'XSRF-TOKEN=tok; Secure; SameSite=Strict',
      LONG_HSTS,
      'CookiesSecureWithHttponlySessionsAndSamesite',
    ],
    [
      'a cookie without Secure, behind HSTS',
      'theme=dark; SameSite=Lax',
      LONG_HSTS,
      'CookiesWithoutSecureFlagButProtectedByHsts',
    ],
    ['a cookie without Secure, no HSTS', 'theme=dark; SameSite=Lax', NO_HSTS, 'CookiesWithoutSecureFlag'],
    [
      'a session cookie without Secure, behind HSTS',
      'PHPSESSID=x; HttpOnly; SameSite=Lax',
      LONG_HSTS,
      'CookiesSessionWithoutSecureFlagButProtectedByHsts',
    ],
    [
      'a session cookie without Secure, no HSTS',
      'PHPSESSID=x; HttpOnly; SameSite=Lax',
      NO_HSTS,
      'CookiesSessionWithoutSecureFlag',
    ],
    [
      'a session cookie without Secure, one-day HSTS',
      'PHPSESSID=x; HttpOnly; SameSite=Lax',
      DAY_HSTS,
      'CookiesSessionWithoutSecureFlag',
    ],
    [
      'the worst cookie decides',
      ['theme=dark; Secure; SameSite=Lax', 'sid_session=1; Secure; SameSite=Lax'],
      LONG_HSTS,
      'CookiesSessionWithoutHttponlyFlag',
    ],
    [
      'cookies folded into one line (commas inside Expires kept)',
      'a=1; Secure; SameSite=Strict; Expires=Wed, 21 Oct 2037 07:28:00 GMT, login=2; Secure; HttpOnly; SameSite=Strict',
      LONG_HSTS,
      'CookiesSecureWithHttponlySessionsAndSamesite',
    ],
  ];
  it.each(cases)('%s', (_label, setCookie, headers, expected) => {
    expect(expectationOf('cookies', { ...headers, 'set-cookie': setCookie })).toBe(expected);
  });
});

describe('cross-origin-resource-sharing', () => {
  const cases: ReadonlyArray<readonly [string, GradedHeaders, Expectation]> = [
    ['no header', {}, 'CrossOriginResourceSharingNotImplemented'],
    ['*', { 'access-control-allow-origin': '*' }, 'CrossOriginResourceSharingImplementedWithPublicAccess'],
    [
      '* with credentials (browsers refuse them)',
      { 'access-control-allow-origin': '*', 'access-control-allow-credentials': 'true' },
      'CrossOriginResourceSharingImplementedWithPublicAccess',
    ],
    [
      'the Origin reflected, with credentials',
      { 'access-control-allow-origin': OBSERVATORY_ORIGIN, 'access-control-allow-credentials': 'true' },
      'CrossOriginResourceSharingImplementedWithUniversalAccess',
    ],
    [
      'the Origin reflected, without credentials',
      { 'access-control-allow-origin': OBSERVATORY_ORIGIN },
      'CrossOriginResourceSharingImplementedWithPublicAccess',
    ],
    [
      'a specific origin, with credentials',
      { 'access-control-allow-origin': 'https://app.example.com', 'access-control-allow-credentials': 'true' },
      'CrossOriginResourceSharingImplementedWithRestrictedAccess',
    ],
  ];
  it.each(cases)('%s', (_label, headers, expected) => {
    expect(expectationOf('cross-origin-resource-sharing', headers)).toBe(expected);
  });
});

describe('redirection', () => {
  it('assumes HTTP redirects to HTTPS on the same host unless told there is no HTTP', () => {
    expect(expectationOf('redirection')).toBe('RedirectionToHttps');
    expect(expectationOf('redirection', {}, PAGE, { httpRedirect: 'to-https-same-host' })).toBe('RedirectionToHttps');
    expect(expectationOf('redirection', {}, PAGE, { httpRedirect: 'none' })).toBe('RedirectionNotNeededNoHttp');
  });
});

describe('referrer-policy', () => {
  const cases: Case[] = [
    ['no header', undefined, 'ReferrerPolicyNotImplemented'],
    ['no-referrer', 'no-referrer', 'ReferrerPolicyPrivate'],
    ['same-origin', 'same-origin', 'ReferrerPolicyPrivate'],
    ['strict-origin', 'strict-origin', 'ReferrerPolicyPrivate'],
    ['strict-origin-when-cross-origin', 'Strict-Origin-When-Cross-Origin', 'ReferrerPolicyPrivate'],
    ['origin', 'origin', 'ReferrerPolicyUnsafe'],
    ['origin-when-cross-origin', 'origin-when-cross-origin', 'ReferrerPolicyUnsafe'],
    ['no-referrer-when-downgrade', 'no-referrer-when-downgrade', 'ReferrerPolicyUnsafe'],
    ['unsafe-url', 'unsafe-url', 'ReferrerPolicyUnsafe'],
    ['a list: the last valid token wins (unsafe)', 'no-referrer, unsafe-url', 'ReferrerPolicyUnsafe'],
    [
      'a list: the last valid token wins (private)',
      'unsafe-url, strict-origin-when-cross-origin',
      'ReferrerPolicyPrivate',
    ],
    [
      'an unknown token after a valid one',
      'strict-origin-when-cross-origin, some-future-policy',
      'ReferrerPolicyPrivate',
    ],
    ['two header lines', ['no-referrer', 'unsafe-url'], 'ReferrerPolicyUnsafe'],
    ['nothing recognizable', 'nonsense', 'ReferrerPolicyHeaderInvalid'],
    ['empty', '', 'ReferrerPolicyHeaderInvalid'],
  ];
  it.each(cases)('%s', (_label, value, expected) => {
    expect(expectationOf('referrer-policy', { 'referrer-policy': value })).toBe(expected);
  });
});

describe('strict-transport-security', () => {
  const cases: Case[] = [
    ['no header', undefined, 'HstsNotImplemented'],
    [
      'two years, preload asked for (not earnable offline)',
      'max-age=63072000; includeSubDomains; preload',
      'HstsImplementedMaxAgeAtLeastSixMonths',
    ],
    ['exactly 15552000', 'max-age=15552000', 'HstsImplementedMaxAgeAtLeastSixMonths'],
    ['a quoted max-age', 'max-age="31536000"', 'HstsImplementedMaxAgeAtLeastSixMonths'],
    ['one day', 'max-age=86400', 'HstsImplementedMaxAgeLessThanSixMonths'],
    ['one second short', 'max-age=15551999', 'HstsImplementedMaxAgeLessThanSixMonths'],
    ['max-age=0', 'max-age=0', 'HstsImplementedMaxAgeLessThanSixMonths'],
    ['no max-age', 'includeSubDomains', 'HstsHeaderInvalid'],
    ['a non-numeric max-age', 'max-age=abc', 'HstsHeaderInvalid'],
    ['a repeated directive', 'max-age=31536000; max-age=60', 'HstsHeaderInvalid'],
    ['two header lines: the first counts', ['max-age=31536000', 'max-age=60'], 'HstsImplementedMaxAgeAtLeastSixMonths'],
  ];
  it.each(cases)('%s', (_label, value, expected) => {
    expect(expectationOf('strict-transport-security', { 'strict-transport-security': value })).toBe(expected);
  });
});

describe('subresource-integrity', () => {
  const html = (body: string) => `<!doctype html><html><head><title>t</title></head><body>${body}</body></html>`;
  const cases: ReadonlyArray<readonly [string, string, Expectation]> = [
    ['no scripts', html('<p>hello</p>'), 'SriNotImplementedButNoScriptsLoaded'],
    [
      'only inline scripts and data blocks',
      html('<script>1</script><script type="application/json">{"a":1}</script>'),
      'SriNotImplementedButNoScriptsLoaded',
    ],
    [
      'a commented-out script',
      html('<!-- <script src="http://evil.example/x.js"></script> -->'),
      'SriNotImplementedButNoScriptsLoaded',
    ],
    [
      'script markup inside a data block',
      html('<script type="application/json">{"x":"<script src=\'http://evil.example/x.js\'>"}</script>'),
      'SriNotImplementedButNoScriptsLoaded',
    ],
    [
      'script markup inside a textarea',
      html('<textarea><script src="http://evil.example/x.js"></script></textarea>'),
      'SriNotImplementedButNoScriptsLoaded',
    ],
    ['a same-origin module with integrity', PAGE, 'SriImplementedAndAllScriptsLoadedSecurely'],
    [
      'a same-origin script without integrity',
      html('<script src="/assets/app.js"></script>'),
      'SriNotImplementedButAllScriptsLoadedFromSecureOrigin',
    ],
    [
      'a subdomain without integrity',
      html('<script src="https://static.blog.example.com/app.js"></script>'),
      'SriNotImplementedButAllScriptsLoadedFromSecureOrigin',
    ],
    [
      'an external HTTPS script with integrity',
      html(`<script src="https://cdn.example.net/lib.js" integrity="${SRI}" crossorigin></script>`),
      'SriImplementedAndExternalScriptsLoadedSecurely',
    ],
    [
      'an external HTTPS script without integrity',
      html('<SCRIPT SRC="https://cdn.example.net/lib.js"></SCRIPT>'),
      'SriNotImplementedButExternalScriptsLoadedSecurely',
    ],
    [
      'an external HTTP script with integrity',
      html(`<script src="http://cdn.example.net/lib.js" integrity="${SRI}"></script>`),
      'SriImplementedButExternalScriptsNotLoadedSecurely',
    ],
    [
      'an external HTTP script without integrity',
      html('<script type="module" src="http://cdn.example.net/lib.js"></script>'),
      'SriNotImplementedAndExternalScriptsNotLoadedSecurely',
    ],
    [
      'a protocol-relative external script',
      html('<script src="//cdn.example.net/lib.js"></script>'),
      'SriNotImplementedAndExternalScriptsNotLoadedSecurely',
    ],
    [
      'a quoted ">" before src',
      html('<script data-note="a>b" src="http://evil.example/x.js"></script>'),
      'SriNotImplementedAndExternalScriptsNotLoadedSecurely',
    ],
    [
      'a malformed integrity value',
      html('<script src="https://cdn.example.net/lib.js" integrity="md5-abc"></script>'),
      'SriNotImplementedButExternalScriptsLoadedSecurely',
    ],
  ];
  it.each(cases)('%s', (_label, body, expected) => {
    expect(expectationOf('subresource-integrity', {}, body)).toBe(expected);
  });

  it('is only needed for HTML', () => {
    expect(
      expectationOf('subresource-integrity', { 'content-type': 'application/json; charset=utf-8' }, '{"a":1}'),
    ).toBe('SriNotImplementedResponseNotHtml');
    expect(expectationOf('subresource-integrity', { 'content-type': undefined }, PAGE)).toBe(
      'SriNotImplementedResponseNotHtml',
    );
  });

  it('reports HTML that is not there as not parseable', () => {
    expect(expectationOf('subresource-integrity', {}, '')).toBe('HtmlNotParseable');
    expect(expectationOf('subresource-integrity', {}, ' \n ')).toBe('HtmlNotParseable');
  });

  it('tokenizes script attributes with quotes, entities and repeated names', () => {
    expect(
      scriptTags('<script src=/a.js?x=1&amp;y=2 src="/b.js" async></script><script type=\'module\'>x</script>'),
    ).toEqual([{ src: '/a.js?x=1&y=2', async: '' }, { type: 'module' }]);
  });
});

describe('x-content-type-options', () => {
  const cases: Case[] = [
    ['nosniff', 'nosniff', 'XContentTypeOptionsNosniff'],
    ['NOSNIFF', 'NOSNIFF', 'XContentTypeOptionsNosniff'],
    ['repeated', 'nosniff, nosniff', 'XContentTypeOptionsNosniff'],
    ['no header', undefined, 'XContentTypeOptionsNotImplemented'],
    ['another value', 'sniff', 'XContentTypeOptionsHeaderInvalid'],
  ];
  it.each(cases)('%s', (_label, value, expected) => {
    expect(expectationOf('x-content-type-options', { 'x-content-type-options': value })).toBe(expected);
  });
});

describe('x-frame-options', () => {
  const NO_FRAME_ANCESTORS = { 'content-security-policy': "default-src 'none'; form-action 'self'" };
  const cases: ReadonlyArray<readonly [string, GradedHeaders, Expectation]> = [
    [
      "frame-ancestors 'none' without X-Frame-Options",
      { 'x-frame-options': undefined },
      'XFrameOptionsImplementedViaCsp',
    ],
    [
      "frame-ancestors 'self' next to an invalid X-Frame-Options",
      { 'content-security-policy': "default-src 'self'; frame-ancestors 'self'", 'x-frame-options': 'nonsense' },
      'XFrameOptionsImplementedViaCsp',
    ],
    [
      'frame-ancestors * without X-Frame-Options',
      { 'content-security-policy': "default-src 'self'; frame-ancestors *", 'x-frame-options': undefined },
      'XFrameOptionsNotImplemented',
    ],
    [
      'frame-ancestors in a report-only policy',
      {
        'content-security-policy': undefined,
        'content-security-policy-report-only': "frame-ancestors 'none'",
        'x-frame-options': undefined,
      },
      'XFrameOptionsNotImplemented',
    ],
    ['DENY', { ...NO_FRAME_ANCESTORS, 'x-frame-options': 'DENY' }, 'XFrameOptionsSameoriginOrDeny'],
    ['sameorigin', { ...NO_FRAME_ANCESTORS, 'x-frame-options': 'sameorigin' }, 'XFrameOptionsSameoriginOrDeny'],
    [
      'a repeated DENY',
      { ...NO_FRAME_ANCESTORS, 'x-frame-options': ['DENY', 'deny'] },
      'XFrameOptionsSameoriginOrDeny',
    ],
    [
      'ALLOW-FROM',
      { ...NO_FRAME_ANCESTORS, 'x-frame-options': 'ALLOW-FROM https://partner.example' },
      'XFrameOptionsAllowFromOrigin',
    ],
    ['no header', { ...NO_FRAME_ANCESTORS, 'x-frame-options': undefined }, 'XFrameOptionsNotImplemented'],
    ['ALLOWALL', { ...NO_FRAME_ANCESTORS, 'x-frame-options': 'ALLOWALL' }, 'XFrameOptionsHeaderInvalid'],
    [
      'conflicting values',
      { ...NO_FRAME_ANCESTORS, 'x-frame-options': 'DENY, SAMEORIGIN' },
      'XFrameOptionsHeaderInvalid',
    ],
  ];
  it.each(cases)('%s', (_label, headers, expected) => {
    expect(expectationOf('x-frame-options', headers)).toBe(expected);
  });
});

describe('cross-origin isolation headers', () => {
  const corp: Case[] = [
    ['same-origin', 'same-origin', 'CrossOriginResourcePolicyImplementedWithSameOrigin'],
    ['same-site', 'same-site', 'CrossOriginResourcePolicyImplementedWithSameSite'],
    ['cross-origin', 'cross-origin', 'CrossOriginResourcePolicyImplementedWithCrossOrigin'],
    ['no header', undefined, 'CrossOriginResourcePolicyNotImplemented'],
    ['a misspelling', 'same_origin', 'CrossOriginResourcePolicyHeaderInvalid'],
  ];
  it.each(corp)('CORP %s', (_label, value, expected) => {
    expect(expectationOf('cross-origin-resource-policy', { 'cross-origin-resource-policy': value })).toBe(expected);
  });

  const coop: Case[] = [
    ['same-origin', 'same-origin', 'CoopImplementedWithSameOrigin'],
    ['same-origin with a reporting endpoint', 'same-origin; report-to="coop"', 'CoopImplementedWithSameOrigin'],
    ['same-origin-allow-popups', 'same-origin-allow-popups', 'CoopImplementedWithSameOriginAllowPopups'],
    ['noopener-allow-popups', 'noopener-allow-popups', 'CoopImplementedWithNoopenerAllowPopups'],
    ['unsafe-none', 'unsafe-none', 'CoopImplementedWithUnsafeNone'],
    ['no header', undefined, 'CoopNotImplemented'],
    ['an unknown value', 'isolate', 'CoopHeaderInvalid'],
  ];
  it.each(coop)('COOP %s', (_label, value, expected) => {
    expect(expectationOf('cross-origin-opener-policy', { 'cross-origin-opener-policy': value })).toBe(expected);
  });

  const coep: Case[] = [
    ['require-corp', 'require-corp', 'CoepImplementedWithRequireCorp'],
    ['require-corp with a reporting endpoint', 'require-corp; report-to="coep"', 'CoepImplementedWithRequireCorp'],
    ['credentialless', 'credentialless', 'CoepImplementedWithCredentialless'],
    ['unsafe-none', 'unsafe-none', 'CoepImplementedWithUnsafeNone'],
    ['no header', undefined, 'CoepNotImplemented'],
    ['an unknown value', 'require-everything', 'CoepHeaderInvalid'],
  ];
  it.each(coep)('COEP %s', (_label, value, expected) => {
    expect(expectationOf('cross-origin-embedder-policy', { 'cross-origin-embedder-policy': value })).toBe(expected);
  });
});

describe('scores and grades', () => {
  it.each([
    [160, 'A+'],
    [100, 'A+'],
    [99, 'A'],
    [90, 'A'],
    [89, 'A-'],
    [85, 'A-'],
    [84, 'B+'],
    [80, 'B+'],
    [79, 'B'],
    [70, 'B'],
    [69, 'B-'],
    [65, 'B-'],
    [64, 'C+'],
    [60, 'C+'],
    [59, 'C'],
    [50, 'C'],
    [49, 'C-'],
    [45, 'C-'],
    [44, 'D+'],
    [40, 'D+'],
    [39, 'D'],
    [30, 'D'],
    [29, 'D-'],
    [25, 'D-'],
    [24, 'F'],
    [0, 'F'],
  ] as const)('%i is %s', (score, grade) => {
    expect(letterGrade(score)).toBe(grade);
  });

  it('scores a response with everything right and no cookies 155, A+', () => {
    const grade = respond();
    expect(grade.results.map((r) => [r.test, r.expectation])).toEqual([
      ['content-security-policy', 'CspImplementedWithNoUnsafeDefaultSrcNone'],
      ['cookies', 'CookiesNotFound'],
      ['cross-origin-resource-sharing', 'CrossOriginResourceSharingNotImplemented'],
      ['redirection', 'RedirectionToHttps'],
      ['referrer-policy', 'ReferrerPolicyPrivate'],
      ['strict-transport-security', 'HstsImplementedMaxAgeAtLeastSixMonths'],
      ['subresource-integrity', 'SriImplementedAndAllScriptsLoadedSecurely'],
      ['x-content-type-options', 'XContentTypeOptionsNosniff'],
      ['x-frame-options', 'XFrameOptionsImplementedViaCsp'],
      ['cross-origin-resource-policy', 'CrossOriginResourcePolicyImplementedWithSameOrigin'],
      ['cross-origin-opener-policy', 'CoopImplementedWithSameOrigin'],
      ['cross-origin-embedder-policy', 'CoepImplementedWithRequireCorp'],
    ]);
    expect(grade).toMatchObject({ score: 155, grade: 'A+' });
  });

  it('adds 5 for a Secure, HttpOnly, SameSite=Lax session cookie: 160, the offline maximum', () => {
    const grade = respond({ 'set-cookie': ['sessionid=s%3Aabc.def; Path=/; Secure; HttpOnly; SameSite=Lax'] });
    expect(grade).toMatchObject({ score: 160, grade: 'A+' });
  });

  it('grades a bare response by its penalties alone', () => {
    // CSP -25, HSTS -20, X-Content-Type-Options -5, X-Frame-Options -20: 100 - 70 = 30 (D). The
    // online Observatory would also find no HTTP→HTTPS redirection (-20, so 10, F) — something an
    // offline grader cannot observe and assumes is in place.
    const bare = gradeResponse({
      url: URL_,
      status: 200,
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><p>hi</p>',
    });
    expect(bare).toMatchObject({ score: 30, grade: 'D' });
    // The same with a bare session cookie: 30 - 40 = -10, floored at 0: F.
    const withCookie = gradeResponse({
      url: URL_,
      status: 200,
      headers: { 'content-type': 'text/html', 'set-cookie': 'sessionid=abc' },
      body: '<!doctype html><p>hi</p>',
    });
    expect(withCookie.results.find((r) => r.test === 'cookies')?.expectation).toBe('CookiesSessionWithoutSecureFlag');
    expect(withCookie).toMatchObject({ score: 0, grade: 'F' });
  });

  it('counts bonuses only when the score before bonuses is at least 90', () => {
    // By hand. Hardened page, but HSTS for one day (-10) and no X-Content-Type-Options (-5):
    //   penalties -15  → uncurved 100 - 15 = 85, below 90, so the bonuses are dropped:
    //   score 85 (A-), although CSP +10, Referrer +5, SRI +5, XFO +5, CORP +10, COOP +10, COEP +10 = +55 were earned.
    const below = respond({ 'strict-transport-security': 'max-age=86400', 'x-content-type-options': undefined });
    expect(below).toMatchObject({ score: 85, grade: 'A-' });
    // Only the missing X-Content-Type-Options (-5): uncurved 95 ≥ 90, so everything counts:
    //   100 - 5 + 55 = 150 (A+).
    const above = respond({ 'x-content-type-options': undefined });
    expect(above).toMatchObject({ score: 150, grade: 'A+' });
    expect(scoreResults([{ modifier: -10 }, { modifier: 10 }])).toBe(100);
    expect(scoreResults([{ modifier: -11 }, { modifier: 50 }])).toBe(89);
    expect(scoreResults([{ modifier: -50 }, { modifier: -70 }])).toBe(0);
  });

  it('refuses a URL that is not HTTPS: the grader assumes HTTPS', () => {
    expect(() => gradeResponse({ url: 'http://blog.example.com/', status: 200, headers: {}, body: '' })).toThrow(
      TypeError,
    );
  });

  it('accepts header values as inject() reports them, numbers included', () => {
    const grade = respond({
      'content-length': 1234,
      'set-cookie': ['a=1; Secure; SameSite=Strict', 'b=2; Secure; SameSite=Lax'],
    });
    expect(grade.score).toBe(160);
  });
});

describe('formatGrade', () => {
  it('prints the score, then every modifier applied and every missed bonus', () => {
    const grade = respond({ 'cross-origin-embedder-policy': undefined, 'referrer-policy': 'unsafe-url' });
    const lines = formatGrade('https://blog.example.com/posts/1', grade).split('\n');
    // 155 - 10 (no COEP bonus) - 5 (no referrer bonus) - 5 (unsafe referrer) = 135.
    expect(lines[0]).toBe('https://blog.example.com/posts/1: 135 A+');
    expect(lines).toContain(
      `   +10  content-security-policy: CspImplementedWithNoUnsafeDefaultSrcNone (${OBSERVATORY_EXPECTATIONS.CspImplementedWithNoUnsafeDefaultSrcNone.description})`,
    );
    expect(lines.some((l) => l.startsWith('    -5  referrer-policy: ReferrerPolicyUnsafe'))).toBe(true);
    expect(lines.some((l) => l.startsWith('     0  cross-origin-embedder-policy: CoepNotImplemented'))).toBe(true);
    // Zero results that are full marks (no cookies, nosniff, HSTS, redirection, no CORS) are not listed.
    expect(
      lines.some((l) =>
        /CookiesNotFound|XContentTypeOptionsNosniff|HstsImplemented|RedirectionToHttps|CrossOriginResourceSharingNotImplemented/.test(
          l,
        ),
      ),
    ).toBe(false);
    expect(lines).toHaveLength(1 + 7);
  });

  it('says when the curve dropped the bonuses', () => {
    const grade = respond({ 'strict-transport-security': 'max-age=86400', 'x-content-type-options': undefined });
    expect(formatGrade('https://blog.example.com/', grade).split('\n')[0]).toBe(
      'https://blog.example.com/: 85 A- (bonuses of +55 not counted: 85 before bonuses is below 90)',
    );
  });
});
