import type { Expectation } from './expectations.js';

/*
 * Our own parser, not a library's. The maintained one (helmet's content-security-policy-parser)
 * follows the CSP spec's lenient parse: it keeps the first of duplicated directives silently and
 * accepts any token. The Observatory grades exactly what that parse hides (duplicate directives
 * and malformed policies are their own outcomes), so this needs the raw tokens.
 */

export type SourceList = readonly string[];

export interface CspPolicy {
  /** Directive name → its source expressions, lower-cased except nonce and hash values. */
  readonly directives: ReadonlyMap<string, SourceList>;
  /** Directives that appeared more than once (browsers keep the first). */
  readonly duplicates: readonly string[];
}

export interface ParsedCsp {
  /** Enforced policies: each header line, and each comma-separated policy in it, is one. */
  readonly policies: readonly CspPolicy[];
  /** Set when a policy cannot be parsed; `policies` is then empty. */
  readonly invalid?: string;
}

const DIRECTIVE_NAME = /^[a-z0-9-]+$/;
/** Visible ASCII without the characters that delimit directives and policies. */
const SOURCE_EXPRESSION = /^[\x21-\x2b\x2d-\x3a\x3c-\x7e]+$/;

export function parseCspHeaders(values: readonly string[]): ParsedCsp {
  if (values.length === 0) return { policies: [] };
  const texts = values.flatMap((v) => v.split(',')).filter((text) => text.trim() !== '');
  if (texts.length === 0) return { policies: [], invalid: 'the header is empty' };
  const policies: CspPolicy[] = [];
  for (const text of texts) {
    const directives = new Map<string, SourceList>();
    const duplicates: string[] = [];
    for (const part of text.split(';')) {
      const tokens = part
        .trim()
        .split(/[\t\n\f\r ]+/)
        .filter(Boolean);
      const [rawName, ...sources] = tokens;
      if (rawName === undefined) continue;
      const name = rawName.toLowerCase();
      if (!DIRECTIVE_NAME.test(name))
        return { policies: [], invalid: `malformed directive name ${JSON.stringify(rawName)}` };
      for (const source of sources) {
        const quotedBadly = source.startsWith("'") !== source.endsWith("'") || source === "'";
        if (!SOURCE_EXPRESSION.test(source) || quotedBadly) {
          return { policies: [], invalid: `malformed source ${JSON.stringify(source)} in ${name}` };
        }
      }
      if (directives.has(name)) duplicates.push(name);
      else directives.set(name, sources.map(normalizeSource));
    }
    if (directives.size === 0) return { policies: [], invalid: 'a policy has no directives' };
    policies.push({ directives, duplicates });
  }
  return { policies };
}

function normalizeSource(source: string): string {
  const lower = source.toLowerCase();
  // Nonce and hash values are case-sensitive base64; only their prefix is not.
  return /^'(nonce|sha256|sha384|sha512)-/.test(lower)
    ? lower.slice(0, lower.indexOf('-') + 1) + source.slice(lower.indexOf('-') + 1)
    : lower;
}

/** Which directives a fetch directive falls back to when absent (CSP Level 3). */
const FALLBACKS: Readonly<Record<string, readonly string[]>> = {
  'script-src': ['script-src', 'default-src'],
  'script-src-elem': ['script-src-elem', 'script-src', 'default-src'],
  'script-src-attr': ['script-src-attr', 'script-src', 'default-src'],
  'style-src': ['style-src', 'default-src'],
  'style-src-elem': ['style-src-elem', 'style-src', 'default-src'],
  'style-src-attr': ['style-src-attr', 'style-src', 'default-src'],
  'object-src': ['object-src', 'default-src'],
  'img-src': ['img-src', 'default-src'],
  'media-src': ['media-src', 'default-src'],
  'connect-src': ['connect-src', 'default-src'],
  'font-src': ['font-src', 'default-src'],
  'manifest-src': ['manifest-src', 'default-src'],
  'frame-src': ['frame-src', 'child-src', 'default-src'],
  'worker-src': ['worker-src', 'child-src', 'script-src', 'default-src'],
};

/** The source list that governs a directive in one policy; undefined when nothing restricts it. */
export function effective(policy: CspPolicy, directive: string): SourceList | undefined {
  for (const name of FALLBACKS[directive] ?? [directive]) {
    const list = policy.directives.get(name);
    if (list) return list;
  }
  return undefined;
}

const SCRIPT_DIRECTIVES = ['script-src', 'script-src-elem', 'script-src-attr'];
const STYLE_DIRECTIVES = ['style-src', 'style-src-elem', 'style-src-attr'];
/** Where an http: source lets a secure page load active content. */
const ACTIVE_DIRECTIVES = [
  ...SCRIPT_DIRECTIVES,
  ...STYLE_DIRECTIVES,
  'object-src',
  'connect-src',
  'font-src',
  'frame-src',
  'worker-src',
  'manifest-src',
];
const PASSIVE_DIRECTIVES = ['img-src', 'media-src'];

export const has = (list: SourceList, keyword: string) => list.includes(`'${keyword}'`);
export const hasNonceOrHash = (list: SourceList) => list.some((s) => /^'(nonce|sha256|sha384|sha512)-/.test(s));
/** An empty list, or 'none' alone, matches nothing ('report-sample' only adds reporting). */
export const isNone = (list: SourceList) => {
  const sources = list.filter((s) => s !== "'report-sample'");
  return sources.length === 0 || (sources.length === 1 && sources[0] === "'none'");
};
/** Sources matching any host: `*`, a scheme alone (https:, data:…), or a `*` host. */
const isBroad = (source: string) =>
  source === '*' ||
  /^[a-z][a-z0-9+.-]*:$/.test(source) ||
  /^([a-z][a-z0-9+.-]*:\/\/)?\*(:(\*|\d+))?(\/.*)?$/.test(source);
const isInsecureScheme = (source: string) => /^(http|ws|ftp):(\/\/|$)/.test(source);
/** With a nonce or hash, 'strict-dynamic' makes browsers ignore host and scheme sources, 'self' and 'unsafe-inline'. */
const isStrictDynamic = (list: SourceList) => has(list, 'strict-dynamic') && hasNonceOrHash(list);

/** Inline script, data: or arbitrary hosts can run (unrestricted counts as allowing everything). */
export function scriptsUnsafe(list: SourceList | undefined): boolean {
  if (!list) return true;
  if (isNone(list)) return false;
  // 'unsafe-inline' is ignored by browsers when a nonce or hash is present.
  if (has(list, 'unsafe-inline') && !hasNonceOrHash(list)) return true;
  if (isStrictDynamic(list)) return false;
  return list.some(isBroad);
}

export function objectsUnsafe(list: SourceList | undefined): boolean {
  if (!list) return true;
  return !isNone(list) && list.some(isBroad);
}

function stylesUnsafe(list: SourceList | undefined): boolean {
  if (!list) return true;
  if (isNone(list)) return false;
  if (has(list, 'unsafe-inline') && !hasNonceOrHash(list)) return true;
  return list.some(isBroad);
}

function allowsInsecureScheme(directive: string, list: SourceList): boolean {
  if (SCRIPT_DIRECTIVES.includes(directive) && isStrictDynamic(list)) return false;
  return !isNone(list) && list.some(isInsecureScheme);
}

/**
 * Browsers enforce every policy, so something is allowed only when each policy allows it: a
 * check holds for the whole set when it holds for every policy.
 */
export function allPolicies(csp: ParsedCsp, check: (policy: CspPolicy) => boolean): boolean {
  return csp.policies.length > 0 && csp.policies.every(check);
}

/** Some policy restricts the directive, and every restricting policy lets http: through. */
function insecureIn(csp: ParsedCsp, directives: readonly string[]): boolean {
  return directives.some(
    (d) =>
      csp.policies.some((p) => effective(p, d) !== undefined) &&
      csp.policies.every((p) => {
        const list = effective(p, d);
        return list === undefined || allowsInsecureScheme(d, list);
      }),
  );
}

export function cspExpectation(csp: ParsedCsp, reportOnly: boolean): Expectation {
  if (csp.invalid) return 'CspHeaderInvalid';
  if (csp.policies.length === 0) return reportOnly ? 'CspNotImplementedButReportingEnabled' : 'CspNotImplemented';
  // 'strict-dynamic' without a nonce or hash blocks every script: the policy cannot be what was meant.
  const strictDynamicAlone = csp.policies.some((p) => {
    const list = effective(p, 'script-src');
    return list !== undefined && has(list, 'strict-dynamic') && !hasNonceOrHash(list);
  });
  if (strictDynamicAlone) return 'CspHeaderInvalid';

  // Precedence follows the Observatory: the first problem found wins.
  const unsafeScripts =
    SCRIPT_DIRECTIVES.some((d) => allPolicies(csp, (p) => scriptsUnsafe(effective(p, d)))) ||
    allPolicies(csp, (p) => objectsUnsafe(effective(p, 'object-src')));
  if (unsafeScripts) return 'CspImplementedWithUnsafeInline';
  if (allPolicies(csp, (p) => has(effective(p, 'script-src') ?? ["'unsafe-eval'"], 'unsafe-eval')))
    return 'CspImplementedWithUnsafeEval';
  if (insecureIn(csp, ACTIVE_DIRECTIVES)) return 'CspImplementedWithInsecureScheme';
  if (insecureIn(csp, PASSIVE_DIRECTIVES)) return 'CspImplementedWithInsecureSchemeInPassiveContentOnly';

  const duplicates = csp.policies.some((p) => p.duplicates.length > 0);
  // Duplicated directives leave the author's intent ambiguous: no bonus, whatever the first copy says.
  if (duplicates) return 'CspImplementedButDuplicateDirectives';
  if (STYLE_DIRECTIVES.some((d) => allPolicies(csp, (p) => stylesUnsafe(effective(p, d))))) {
    return 'CspImplementedWithUnsafeInlineInStyleSrcOnly';
  }
  // One policy with default-src 'none' (or a tight form-action) is enough: the intersection is as tight.
  const defaultNone = csp.policies.some((p) => {
    const list = p.directives.get('default-src');
    return list !== undefined && isNone(list);
  });
  const formActionTight = csp.policies.some((p) => {
    const list = p.directives.get('form-action');
    return (
      list !== undefined && (isNone(list) || list.filter((s) => s !== "'report-sample'").every((s) => s === "'self'"))
    );
  });
  return defaultNone && formActionTight ? 'CspImplementedWithNoUnsafeDefaultSrcNone' : 'CspImplementedWithNoUnsafe';
}
