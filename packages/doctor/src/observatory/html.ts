import { Parser } from 'htmlparser2';

/** Script types that execute (HTML's JavaScript MIME types, plus module); anything else is a data block. */
const JAVASCRIPT_TYPES = new Set([
  '',
  'module',
  'application/ecmascript',
  'application/javascript',
  'application/x-ecmascript',
  'application/x-javascript',
  'text/ecmascript',
  'text/javascript',
  'text/javascript1.0',
  'text/javascript1.1',
  'text/javascript1.2',
  'text/javascript1.3',
  'text/javascript1.4',
  'text/javascript1.5',
  'text/jscript',
  'text/livescript',
  'text/x-ecmascript',
  'text/x-javascript',
]);

/** A `<script>` the browser runs (not a JSON data block or an import map). */
export function isExecutableScript(attributes: Readonly<Record<string, string>>): boolean {
  return JAVASCRIPT_TYPES.has((attributes.type ?? '').split(';')[0]!.trim().toLowerCase());
}

export interface Tag {
  readonly name: string;
  /** Lower-cased names, entities decoded; the first of a repeated attribute wins, as in browsers. */
  readonly attributes: Readonly<Record<string, string>>;
}

/**
 * The start tags of the elements named, in document order. htmlparser2 treats comments and the
 * text of raw-text elements (script, style, textarea, title…) as text, so markup inside a JSON
 * data block or a comment is not taken for a tag.
 */
export function startTags(html: string, names: ReadonlySet<string>): Tag[] {
  const tags: Tag[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (names.has(name)) tags.push({ name, attributes });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return tags;
}

/** The attributes of every `<script>` start tag. */
export function scriptTags(html: string): Record<string, string>[] {
  return startTags(html, new Set(['script'])).map((tag) => ({ ...tag.attributes }));
}

export interface PageAssets {
  /** Scripts the page runs or preloads as modules. */
  readonly scripts: URL[];
  readonly stylesheets: URL[];
}

const LINK_SCRIPT_RELS = new Set(['modulepreload']);
const LINK_STYLE_RELS = new Set(['stylesheet']);

/** The same-origin scripts and stylesheets a page loads, resolved against its URL, without repeats. */
export function pageAssets(html: string, page: URL): PageAssets {
  const scripts = new Map<string, URL>();
  const stylesheets = new Map<string, URL>();
  const add = (into: Map<string, URL>, reference: string | undefined) => {
    if (!reference?.trim()) return;
    let url: URL;
    try {
      url = new URL(reference.trim(), page);
    } catch {
      return;
    }
    if (url.origin === page.origin) into.set(url.href, url);
  };
  for (const { name, attributes } of startTags(html, new Set(['script', 'link']))) {
    if (name === 'script' && isExecutableScript(attributes)) add(scripts, attributes.src);
    if (name !== 'link') continue;
    const rels = (attributes.rel ?? '').toLowerCase().split(/\s+/);
    const as = (attributes.as ?? '').toLowerCase();
    if (rels.some((r) => LINK_SCRIPT_RELS.has(r)) || (rels.includes('preload') && as === 'script')) {
      add(scripts, attributes.href);
    }
    if (rels.some((r) => LINK_STYLE_RELS.has(r)) || (rels.includes('preload') && as === 'style')) {
      add(stylesheets, attributes.href);
    }
  }
  return { scripts: [...scripts.values()], stylesheets: [...stylesheets.values()] };
}
