/** The Origin the Observatory sends; CORS reflection is checked against it. */
export const OBSERVATORY_ORIGIN = 'https://http-observatory.security.mozilla.org';

/**
 * Mozilla HTTP Observatory's v6 score table: every expectation its header tests can return, with
 * the score modifier and the description it publishes. Kept here verbatim as data so that the
 * grader works from a fresh clone.
 */
export const OBSERVATORY_EXPECTATIONS = {
  CspImplementedWithNoUnsafeDefaultSrcNone: {
    modifier: 10,
    description:
      "Content Security Policy (CSP) implemented with default-src 'none', no 'unsafe' and form-action is set to 'none' or 'self'",
  },
  CspImplementedWithNoUnsafe: {
    modifier: 5,
    description: "Content Security Policy (CSP) implemented without 'unsafe-inline' or 'unsafe-eval'",
  },
  CspImplementedWithUnsafeInlineInStyleSrcOnly: {
    modifier: 0,
    description:
      "Content Security Policy (CSP) implemented with unsafe sources inside style-src. This includes 'unsafe-inline', data: or overly broad sources such as https. 'form-action' is set to 'self', 'none' or 'specific source'",
  },
  CspImplementedWithInsecureSchemeInPassiveContentOnly: {
    modifier: -10,
    description:
      'Content Security Policy (CSP) implemented, but secure site allows images or media to be loaded over HTTP',
  },
  CspImplementedWithUnsafeEval: {
    modifier: -10,
    description:
      "Content Security Policy (CSP) implemented, but allows 'unsafe-eval' and allows forms to be submitted to any source.",
  },
  CspImplementedWithUnsafeInline: {
    modifier: -20,
    description:
      "Content Security Policy (CSP) implemented unsafely. This includes 'unsafe-inline' or data: inside script-src, overly broad sources such as https: inside object-src or script-src, or not restricting the sources for object-src or script-src.",
  },
  CspImplementedWithInsecureScheme: {
    modifier: -20,
    description: 'Content Security Policy (CSP) implemented, but secure site allows resources to be loaded over HTTP',
  },
  CspHeaderInvalid: {
    modifier: -25,
    description: 'Content Security Policy (CSP) header cannot be parsed successfully',
  },
  CspNotImplemented: { modifier: -25, description: 'Content Security Policy (CSP) header not implemented' },
  CspNotImplementedButReportingEnabled: {
    modifier: -25,
    description:
      'Content Security Policy (CSP) reporting implemented only, with Content-Security-Policy-Report-Only header.',
  },
  CspImplementedButDuplicateDirectives: {
    modifier: 0,
    description: 'Content Security Policy (CSP) implemented, but contains duplicate directives.',
  },
  CookiesSecureWithHttponlySessionsAndSamesite: {
    modifier: 5,
    description:
      'All cookies use the Secure flag, session cookies use the HttpOnly flag, and cross-origin restrictions are in place via the SameSite flag.',
  },
  CookiesSecureWithHttponlySessions: {
    modifier: 0,
    description: 'All cookies use the Secure flag and all session cookies use the HttpOnly flag.',
  },
  CookiesNotFound: { modifier: 0, description: 'No cookies detected' },
  CookiesWithoutSecureFlagButProtectedByHsts: {
    modifier: -5,
    description: 'Cookies set without using the Secure flag, but transmission over HTTP prevented by HSTS.',
  },
  CookiesSessionWithoutSecureFlagButProtectedByHsts: {
    modifier: -10,
    description: 'Session cookie set without the Secure flag, but transmission over HTTP prevented by HSTS.',
  },
  CookiesWithoutSecureFlag: {
    modifier: -20,
    description: 'Cookies set without using the Secure flag or set over HTTP.',
  },
  CookiesSamesiteFlagInvalid: {
    modifier: -20,
    description: 'Cookies use SameSite flag, but set to something other than Strict or Lax',
  },
  CookiesAnticsrfWithoutSamesiteFlag: {
    modifier: -20,
    description: 'Anti-CSRF tokens set without using the SameSite flag.',
  },
  CookiesSessionWithoutHttponlyFlag: {
    modifier: -30,
    description: 'Session cookie set without using the HttpOnly flag.',
  },
  CookiesSessionWithoutSecureFlag: {
    modifier: -40,
    description: 'Session cookie set without using the Secure flag or set over HTTP.',
  },
  CrossOriginResourceSharingNotImplemented: {
    modifier: 0,
    description: 'Content is not visible via cross-origin resource sharing (CORS) files or headers.',
  },
  CrossOriginResourceSharingImplementedWithPublicAccess: {
    modifier: 0,
    description:
      'Public content is visible via cross-origin resource sharing (CORS) Access-Control-Allow-Origin header.',
  },
  CrossOriginResourceSharingImplementedWithRestrictedAccess: {
    modifier: 0,
    description:
      'Content is visible via cross-origin resource sharing (CORS) files or headers, but is restricted to specific domains.',
  },
  CrossOriginResourceSharingImplementedWithUniversalAccess: {
    modifier: -50,
    description:
      'Content is visible via cross-origin resource sharing (CORS) file or headers, and credentials can be sent. Your site could be vulnerable to CSRF attacks.',
  },
  RedirectionAllRedirectsPreloaded: {
    modifier: 0,
    description: 'All hosts redirected to are in the HTTP Strict Transport Security (HSTS) preload list.',
  },
  RedirectionToHttps: {
    modifier: 0,
    description: 'Initial redirection is to HTTPS on same host, final destination is HTTPS',
  },
  RedirectionNotNeededNoHttp: {
    modifier: 0,
    description: 'Not able to connect via HTTP, so no redirection necessary.',
  },
  RedirectionOffHostFromHttp: {
    modifier: -5,
    description: 'Initial redirection from HTTP to HTTPS is to a different host, preventing HSTS.',
  },
  RedirectionNotToHttpsOnInitialRedirection: {
    modifier: -10,
    description: 'Redirects to HTTPS eventually, but initial redirection is to another HTTP URL.',
  },
  RedirectionNotToHttps: { modifier: -20, description: 'Redirects, but final destination is not an HTTPS URL.' },
  RedirectionMissing: { modifier: -20, description: 'Does not redirect to an HTTPS site.' },
  RedirectionInvalidCert: { modifier: -20, description: 'Invalid certificate chain encountered during redirection.' },
  ReferrerPolicyPrivate: {
    modifier: 5,
    description:
      'Referrer-Policy header set to no-referrer, same-origin, strict-origin or strict-origin-when-cross-origin.',
  },
  ReferrerPolicyNotImplemented: { modifier: 0, description: 'Referrer-Policy header not implemented.' },
  ReferrerPolicyUnsafe: {
    modifier: -5,
    description:
      'Referrer-Policy header set unsafely to origin, origin-when-cross-origin, unsafe-url or no-referrer-when-downgrade.',
  },
  ReferrerPolicyHeaderInvalid: { modifier: -5, description: 'Referrer-Policy header cannot be recognized.' },
  HstsPreloaded: {
    modifier: 5,
    description: 'Preloaded via the HTTP Strict Transport Security (HSTS) preloading process.',
  },
  HstsImplementedMaxAgeAtLeastSixMonths: {
    modifier: 0,
    description: 'Strict-Transport-Security header set to a minimum of six months (15768000).',
  },
  HstsImplementedMaxAgeLessThanSixMonths: {
    modifier: -10,
    description: 'Strict-Transport-Security header set to less than six months (15768000).',
  },
  HstsNotImplemented: { modifier: -20, description: 'Strict-Transport-Security header not implemented.' },
  HstsHeaderInvalid: { modifier: -20, description: 'Strict-Transport-Security header cannot be recognized' },
  HstsNotImplementedNoHttps: {
    modifier: -20,
    description: 'Strict-Transport-Security header cannot be set for sites not available over HTTPS.',
  },
  HstsInvalidCert: {
    modifier: -20,
    description: 'Strict-Transport-Security header cannot be set, as site contains an invalid certificate chain.',
  },
  SriImplementedAndAllScriptsLoadedSecurely: {
    modifier: 5,
    description: 'Subresource Integrity (SRI) is implemented and all scripts are loaded from a similar origin.',
  },
  SriImplementedAndExternalScriptsLoadedSecurely: {
    modifier: 5,
    description: 'Subresource Integrity (SRI) is implemented and all scripts are loaded securely.',
  },
  SriNotImplementedResponseNotHtml: {
    modifier: 0,
    description: 'Subresource Integrity (SRI) is only needed for HTML resources.',
  },
  SriNotImplementedButNoScriptsLoaded: {
    modifier: 0,
    description: 'Subresource Integrity (SRI) is not needed since site contains no script tags.',
  },
  SriNotImplementedButAllScriptsLoadedFromSecureOrigin: {
    modifier: 0,
    description: 'Subresource Integrity (SRI) not implemented, but all scripts are loaded from a similar origin.',
  },
  SriNotImplementedButExternalScriptsLoadedSecurely: {
    modifier: -5,
    description: 'Subresource Integrity (SRI) not implemented, but all external scripts are loaded over HTTPS.',
  },
  SriImplementedButExternalScriptsNotLoadedSecurely: {
    modifier: -20,
    description:
      'Subresource Integrity (SRI) implemented, but external scripts are loaded over HTTP or they use protocol-relative URLs via src="//...".',
  },
  SriNotImplementedAndExternalScriptsNotLoadedSecurely: {
    modifier: -50,
    description:
      'Subresource Integrity (SRI) not implemented, and external scripts are loaded over HTTP or they use protocol-relative URLs via src="//...".',
  },
  XContentTypeOptionsNosniff: { modifier: 0, description: 'X-Content-Type-Options header set to nosniff.' },
  XContentTypeOptionsNotImplemented: { modifier: -5, description: 'X-Content-Type-Options header not implemented.' },
  XContentTypeOptionsHeaderInvalid: {
    modifier: -5,
    description: 'X-Content-Type-Options header cannot be recognized.',
  },
  XFrameOptionsImplementedViaCsp: {
    modifier: 5,
    description: 'X-Frame-Options (XFO) implemented via the CSP frame-ancestors directive.',
  },
  XFrameOptionsSameoriginOrDeny: {
    modifier: 5,
    description: 'X-Frame-Options (XFO) header set to SAMEORIGIN or DENY.',
  },
  XFrameOptionsAllowFromOrigin: {
    modifier: 0,
    description: 'X-Frame-Options (XFO) header uses ALLOW-FROM uri directive.',
  },
  XFrameOptionsNotImplemented: { modifier: -20, description: 'X-Frame-Options (XFO) header not implemented.' },
  XFrameOptionsHeaderInvalid: { modifier: -20, description: 'X-Frame-Options (XFO) header cannot be recognized.' },
  CrossOriginResourcePolicyHeaderInvalid: {
    modifier: -5,
    description: 'Cross-Origin-Resource-Policy (CORP) header cannot be recognized.',
  },
  CrossOriginResourcePolicyImplementedWithCrossOrigin: {
    modifier: 0,
    description:
      'Cross Origin Resource Policy (CORP) implemented, but allows cross-origin resource sharing by default.',
  },
  CrossOriginResourcePolicyImplementedWithSameOrigin: {
    modifier: 10,
    description: 'Cross Origin Resource Policy (CORP) implemented, prevents leaks into cross-origin contexts.',
  },
  CrossOriginResourcePolicyImplementedWithSameSite: {
    modifier: 10,
    description: 'Cross Origin Resource Policy (CORP) implemented, prevents leaks into cross-site contexts.',
  },
  CrossOriginResourcePolicyNotImplemented: {
    modifier: 0,
    description: 'Cross Origin Resource Policy (CORP) is not implemented (defaults to cross-origin).',
  },
  CoepImplementedWithRequireCorp: {
    modifier: 10,
    description: 'Cross-Origin-Embedder-Policy header set to require-corp, restricting loading cross-origin resources.',
  },
  CoepImplementedWithCredentialless: {
    modifier: 10,
    description:
      'Cross-Origin-Embedder-Policy header set to credentialless, allowing loading cross-origin resources but without sending credentials in the requests.',
  },
  CoepImplementedWithUnsafeNone: {
    modifier: 0,
    description:
      'Cross-Origin-Embedder-Policy header set to unsafe-none, allowing loading cross-origin resources, which is the default value.',
  },
  CoepNotImplemented: { modifier: 0, description: 'Cross-Origin-Embedder-Policy header not implemented.' },
  CoepHeaderInvalid: { modifier: -5, description: 'Cross-Origin-Embedder-Policy header cannot be recognized.' },
  CoopImplementedWithSameOrigin: {
    modifier: 10,
    description: 'Cross-Origin-Opener-Policy header set to same-origin, enforcing site isolation from the opener.',
  },
  CoopImplementedWithSameOriginAllowPopups: {
    modifier: 10,
    description:
      'Cross-Origin-Opener-Policy header set to same-origin-allow-popups, enforcing site isolation from the opener but allowing trusted resources such as for OAuth or payments.',
  },
  CoopImplementedWithNoopenerAllowPopups: {
    modifier: 10,
    description:
      'Cross-Origin-Opener-Policy header set to noopener-allow-popups, enforcing site isolation from the opener even if they are same origin.',
  },
  CoopImplementedWithUnsafeNone: {
    modifier: 0,
    description:
      'Cross-Origin-Opener-Policy header set to unsafe-none, the document permits sharing its browsing context group with any other document, and may therefore be unsafe.',
  },
  CoopNotImplemented: { modifier: 0, description: 'Cross-Origin-Opener-Policy header not implemented.' },
  CoopHeaderInvalid: { modifier: -5, description: 'Cross-Origin-Opener-Policy header cannot be recognized.' },
  HtmlNotParseable: { modifier: -20, description: 'Claims to be html, but cannot be parsed.' },
} as const satisfies Record<string, { readonly modifier: number; readonly description: string }>;

export type Expectation = keyof typeof OBSERVATORY_EXPECTATIONS;

export type ObservatoryTest =
  | 'content-security-policy'
  | 'cookies'
  | 'cross-origin-resource-sharing'
  | 'redirection'
  | 'referrer-policy'
  | 'strict-transport-security'
  | 'subresource-integrity'
  | 'x-content-type-options'
  | 'x-frame-options'
  | 'cross-origin-resource-policy'
  | 'cross-origin-opener-policy'
  | 'cross-origin-embedder-policy';
