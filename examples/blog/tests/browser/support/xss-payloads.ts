/**
 * A hand-written XSS corpus for the blog's browser security tests.
 *
 * Every payload that could run script leaves a trace if it does: `window.__xss` set (the number is
 * the payload's index, so a failure names its culprit), an alert/confirm dialog, or
 * `document.title = 'XSS'`. Payloads that cannot run script by themselves (<base>, <meta refresh>,
 * <style>) are caught by the DOM checks (no such element appears) and by the site's CSP, whose
 * violations the tests record: with `script-src 'self'` and `style-src 'self'`, markup injected
 * from any of these would be reported as a violation even when it is blocked.
 *
 * Every payload is at most 80 characters, the subscribe form's name limit (NAME_MAX), so each one
 * can also be submitted as a name.
 */

export type PayloadCategory =
  | 'script-tag'
  | 'event-handler'
  | 'url-scheme'
  | 'svg'
  | 'mathml-mutation'
  | 'state-breakout'
  | 'attribute-breakout'
  | 'comment-cdata'
  | 'template-syntax'
  | 'document-hijack'
  | 'control-characters'
  | 'double-encoding';

export interface XssPayload {
  readonly id: string;
  readonly category: PayloadCategory;
  readonly text: string;
  /** Also requested with the payload unencoded in the path (the browser encodes what it must). */
  readonly raw?: boolean;
}

// Split so that no naive "remove <script>" filter (and no reader skimming this file) sees a whole tag.
const OPEN = '<scr' + 'ipt>';
const CLOSE = '</scr' + 'ipt>';
const LS = '\u2028';
const PS = '\u2029';
const NUL = '\u0000';
const dataHtml = 'data:text/html;base64,' + Buffer.from(`${OPEN}alert(16)${CLOSE}`).toString('base64');

export const XSS_PAYLOADS: readonly XssPayload[] = [
  // Script elements.
  { id: 'script-lowercase', category: 'script-tag', text: `${OPEN}window.__xss=1;alert(1)${CLOSE}`, raw: true },
  { id: 'script-uppercase', category: 'script-tag', text: `<SCRIPT>document.title='XSS';alert(2)</SCRIPT>` },
  {
    id: 'script-mixed-case-attributes',
    category: 'script-tag',
    text: '<ScRiPt type=module async nonce=x>window.__xss=3</sCrIpT>',
  },
  {
    id: 'script-data-src',
    category: 'script-tag',
    text: '<script src="data:text/javascript,window.__xss=4"></script>',
  },
  { id: 'script-nested-split', category: 'script-tag', text: `<scr${OPEN}ipt>window.__xss=5</scr${CLOSE}ipt>` },
  { id: 'script-close-with-attribute', category: 'script-tag', text: `${OPEN}alert(6)</scr` + 'ipt x=">' },

  // Event-handler attributes.
  { id: 'img-onerror', category: 'event-handler', text: '<img src=x onerror="window.__xss=7;alert(7)">', raw: true },
  { id: 'body-onload', category: 'event-handler', text: '<body onload=window.__xss=8>' },
  { id: 'input-autofocus-onfocus', category: 'event-handler', text: '<input autofocus onfocus=window.__xss=9>' },
  {
    id: 'div-onmouseover-fullscreen',
    category: 'event-handler',
    text: `<div onmouseover="document.title='XSS'" style=position:fixed;inset:0>x</div>`,
  },
  { id: 'details-ontoggle', category: 'event-handler', text: '<details open ontoggle=alert(11)>' },

  // Dangerous URL schemes, bare and in links.
  { id: 'a-javascript-href', category: 'url-scheme', text: '<a href="javascript:window.__xss=12" autofocus>go</a>' },
  { id: 'a-mixed-case-scheme', category: 'url-scheme', text: '<a href=JaVaScRiPt:alert(13) id=x>x</a>' },
  {
    id: 'a-entity-encoded-scheme',
    category: 'url-scheme',
    text: '<a href="&#106;&#97;vascript&#x3A;window.__xss=14">x</a>',
  },
  { id: 'bare-javascript-url', category: 'url-scheme', text: 'javascript:window.__xss=15//' },
  { id: 'bare-data-html-url', category: 'url-scheme', text: dataHtml },
  { id: 'iframe-data-html', category: 'url-scheme', text: `<iframe src="data:text/html,${OPEN}alert(17)${CLOSE}">` },
  { id: 'iframe-srcdoc', category: 'url-scheme', text: `<iframe srcdoc="${OPEN}parent.__xss=18${CLOSE}"></iframe>` },

  // SVG and MathML (foreign content, where the parser's rules change).
  { id: 'svg-onload', category: 'svg', text: '<svg onload=window.__xss=19>', raw: true },
  { id: 'svg-script', category: 'svg', text: `<svg>${OPEN}window.__xss=20${CLOSE}</svg>` },
  { id: 'svg-animate-onbegin', category: 'svg', text: '<svg><animate onbegin=alert(21) attributeName=x dur=1s>' },
  {
    id: 'math-mglyph-style-mutation',
    category: 'mathml-mutation',
    text: '<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=22>',
  },
  {
    id: 'noscript-title-mutation',
    category: 'mathml-mutation',
    text: '<noscript><p title="</noscript><img src=x onerror=alert(23)>">',
  },

  // Closing the serialized-state script block from inside a string.
  { id: 'state-close-script', category: 'state-breakout', text: `${CLOSE}${OPEN}window.__xss=24${CLOSE}`, raw: true },
  {
    id: 'state-close-json-then-script',
    category: 'state-breakout',
    text: `"}}${CLOSE}${OPEN}document.title='XSS'${CLOSE}{"a":"`,
  },

  // Breaking out of an attribute value.
  {
    id: 'attribute-double-quote',
    category: 'attribute-breakout',
    text: '" onmouseover="window.__xss=26" autofocus onfocus="alert(26)" x="',
    raw: true,
  },
  {
    id: 'attribute-single-quote',
    category: 'attribute-breakout',
    text: "' autofocus onfocus='window.__xss=27' x='",
    raw: true,
  },
  { id: 'attribute-unquoted', category: 'attribute-breakout', text: 'x autofocus onfocus=alert(28) y=' },

  // Comments and CDATA sections.
  {
    id: 'html-comment-close',
    category: 'comment-cdata',
    text: '--><img src=x onerror=window.__xss=29><!--',
    raw: true,
  },
  { id: 'cdata-close', category: 'comment-cdata', text: ']]><svg onload=window.__xss=30><![CDATA[' },

  // Template syntax that a second evaluation pass would run.
  { id: 'svelte-html-tag', category: 'template-syntax', text: "{@html '<img src=x onerror=window.__xss=31>'}" },
  { id: 'mustache-constructor', category: 'template-syntax', text: "{{constructor.constructor('window.__xss=32')()}}" },
  { id: 'template-literal', category: 'template-syntax', text: '${window.__xss=33}#{alert(33)}' },

  // Markup that hijacks the document without running script itself.
  { id: 'base-href', category: 'document-hijack', text: '<base href="//evil.example/">', raw: true },
  {
    id: 'meta-refresh',
    category: 'document-hijack',
    text: '<meta http-equiv="refresh" content="0;url=javascript:alert(35)">',
    raw: true,
  },
  { id: 'style-import', category: 'document-hijack', text: "<style>@import 'data:text/css,*{color:red}';</style>" },
  {
    id: 'object-and-embed',
    category: 'document-hijack',
    text: '<object data="javascript:alert(37)"></object><embed src=javascript:alert(37)>',
  },
  {
    id: 'button-formaction',
    category: 'document-hijack',
    text: '<form><button formaction=javascript:window.__xss=38 autofocus>x</button></form>',
  },

  // Characters that end JavaScript strings or confuse parsers.
  {
    id: 'line-separators',
    category: 'control-characters',
    text: `${LS}${PS}${CLOSE}${OPEN}window.__xss=39${CLOSE}${LS}`,
  },
  {
    id: 'null-bytes',
    category: 'control-characters',
    text: `<scr${NUL}ipt>window.__xss=40${CLOSE}${NUL}<img src=x onerror=alert(40)>`,
  },

  // Text that only turns into markup if something decodes it twice.
  {
    id: 'json-unicode-escapes',
    category: 'double-encoding',
    text: '\\u003cscript\\u003ewindow.__xss=41\\u003c/script\\u003e',
  },
  { id: 'percent-encoded-markup', category: 'double-encoding', text: '%3Cscript%3Ewindow.__xss%3D42%3C%2Fscript%3E' },
  {
    id: 'html-entity-markup',
    category: 'double-encoding',
    text: '&lt;img src=x onerror=window.__xss=43&gt;&#60;svg onload=alert(43)&#62;',
  },
];

/** The subscribe form's name limit; every payload must fit. */
export const PAYLOAD_MAX_LENGTH = 80;
