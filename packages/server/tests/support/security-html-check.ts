/**
 * Checks sanitizer output the way a browser would read it. sanitizeHtml serialises every tag as
 * `<name attr="value">` (values double-quoted, `"` as &quot;) and escapes `<` in text as &lt;, so
 * every `<` left in the output must open a well-formed tag; anything else is a finding.
 */

export const ALLOWED_TAGS = new Set([
  'p',
  'br',
  'hr',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'code',
  'kbd',
  'samp',
  'em',
  'strong',
  'b',
  'i',
  'u',
  's',
  'small',
  'sub',
  'sup',
  'mark',
  'abbr',
  'cite',
  'q',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'a',
  'figure',
  'figcaption',
  'img',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
]);

const URL_ATTRIBUTES = new Set([
  'href',
  'src',
  'srcset',
  'action',
  'formaction',
  'xlink:href',
  'background',
  'poster',
  'data',
  'cite',
]);
const SCHEMES: Record<string, readonly string[]> = { a: ['http', 'https', 'mailto'], img: ['http', 'https'] };

const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'>/=]+(?:="[^"]*")?)*)\s*\/?>/y;
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:="([^"]*)")?/g;

export interface Tag {
  readonly name: string;
  readonly closing: boolean;
  readonly attributes: ReadonlyArray<readonly [string, string]>;
}

/** The character references a browser decodes in an attribute value that sanitizer output may hold. */
function decodeAttribute(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);/gi, (_m, ref: string) => {
    const lower = ref.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(Number.parseInt(lower.slice(2), 16) || 0xfffd);
    if (lower.startsWith('#')) return String.fromCodePoint(Number(lower.slice(1)) || 0xfffd);
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower]!;
  });
}

/** What the URL parser sees: leading/trailing C0 controls and spaces trimmed, tabs and newlines removed. */
export function browserUrl(value: string): string {
  return decodeAttribute(value)
    .replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '')
    .replace(/[\t\n\r]/g, '');
}

export function parseTags(html: string): { tags: Tag[]; problems: string[] } {
  const tags: Tag[] = [];
  const problems: string[] = [];
  for (let at = html.indexOf('<'); at !== -1; at = html.indexOf('<', at + 1)) {
    TAG.lastIndex = at;
    const match = TAG.exec(html);
    if (!match) {
      problems.push(`a "<" that opens no well-formed tag at ${at}: ${JSON.stringify(html.slice(at, at + 40))}`);
      continue;
    }
    const attributes = [...match[3]!.matchAll(ATTRIBUTE)].map((m) => [m[1]!.toLowerCase(), m[2] ?? ''] as const);
    tags.push({ name: match[2]!.toLowerCase(), closing: match[1] === '/', attributes });
  }
  return { tags, problems };
}

/** Every way the output could still run script or leave the allow-list; empty when safe. */
export function unsafeParts(html: string): string[] {
  const { tags, problems } = parseTags(html);
  if (/<\s*script/i.test(html)) problems.push('contains <script');
  for (const tag of tags) {
    if (!ALLOWED_TAGS.has(tag.name)) problems.push(`element <${tag.name}> is not on the allow-list`);
    for (const [name, value] of tag.attributes) {
      if (name.startsWith('on')) problems.push(`event handler attribute ${name} on <${tag.name}>`);
      if (name === 'style' || name === 'srcdoc') problems.push(`attribute ${name} on <${tag.name}>`);
      if (/&(?!(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos);)/i.test(value))
        problems.push(`undecoded character reference in ${name}=${JSON.stringify(value)}`);
      if (!URL_ATTRIBUTES.has(name)) continue;
      const url = browserUrl(value);
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
      const allowed = SCHEMES[tag.name] ?? [];
      if (scheme !== undefined && !allowed.includes(scheme))
        problems.push(`${name} with scheme ${scheme}: on <${tag.name}>: ${JSON.stringify(value)}`);
      if (scheme === undefined && /^[/\\]{2}/.test(url))
        problems.push(`protocol-relative ${name} on <${tag.name}>: ${JSON.stringify(value)}`);
      if (/^javascript:/i.test(url)) problems.push(`javascript: URL in ${name}`);
    }
  }
  return problems;
}
