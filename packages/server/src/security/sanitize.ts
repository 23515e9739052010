import sanitize from 'sanitize-html';

export interface SanitizeOptions {
  /** Extra tags to allow on top of the default allow-list. */
  readonly allowedTags?: readonly string[];
  /** Extra attributes per tag. */
  readonly allowedAttributes?: Readonly<Record<string, readonly string[]>>;
}

/** Elements whose content is code or a nested document, dropped whole rather than kept as text. */
const NON_TEXT_TAGS = [
  'script',
  'style',
  'textarea',
  'option',
  'noscript',
  'template',
  'iframe',
  'object',
  'embed',
  'svg',
  'math',
];

const DEFAULT_TAGS = [
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
];

/**
 * HTML from users or editors, reduced to a safe subset: no script, style, iframe, form or event
 * handler survives; URLs are http, https or mailto only; links open with rel="noopener noreferrer
 * nofollow". Sanitize when content is written or loaded, not on every request.
 */
export function sanitizeHtml(html: string, options: SanitizeOptions = {}): string {
  const extraAttributes = Object.fromEntries(
    Object.entries(options.allowedAttributes ?? {}).map(([tag, attrs]) => [tag, [...attrs]]),
  );
  return sanitize(html, {
    allowedTags: [...DEFAULT_TAGS, ...(options.allowedTags ?? [])],
    allowedAttributes: {
      // rel is always overwritten by the transform below; allowing it keeps the transform's value.
      a: ['href', 'title', 'rel'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      abbr: ['title'],
      th: ['scope', 'colspan', 'rowspan'],
      td: ['colspan', 'rowspan'],
      ol: ['start'],
      ...extraAttributes,
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https'] },
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
    nonTextTags: NON_TEXT_TAGS,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: 'noopener noreferrer nofollow' } }),
    },
  });
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** The text of an HTML fragment (for excerpts, search, meta descriptions), entities decoded. */
export function htmlToText(html: string): string {
  // Block boundaries become spaces so words of adjacent paragraphs do not run together.
  const spaced = html.replace(
    /(<\/(p|div|li|h[1-6]|blockquote|pre|td|th|tr|dt|dd|figcaption)>|<br\s*\/?>)(?=\s*\S)/gi,
    '$1 ',
  );
  const stripped = sanitize(spaced, { allowedTags: [], allowedAttributes: {}, nonTextTags: NON_TEXT_TAGS });
  return stripped.trim().replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}
