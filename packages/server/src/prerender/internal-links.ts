const TAG = /<[a-zA-Z][^>]*>/g;
const URL_ATTRIBUTE = /\s(href|src|srcset)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/gi;
const ENTITY = /&(?:#(\d+)|#x([0-9a-f]+)|(amp|quot|apos|lt|gt));/gi;
const NAMED: Readonly<Record<string, string>> = { amp: '&', quot: '"', apos: "'", lt: '<', gt: '>' };

function decodeAttribute(value: string): string {
  return value.replace(ENTITY, (_match, dec: string | undefined, hex: string | undefined, name: string | undefined) =>
    name !== undefined
      ? NAMED[name.toLowerCase()]!
      : String.fromCodePoint(dec !== undefined ? Number(dec) : Number.parseInt(hex!, 16)),
  );
}

/**
 * The same-origin URLs a document refers to (`href`, `src`, `srcset` of its elements), as path and
 * query, fragment dropped, in document order without repeats. The state block cannot add any: its
 * JSON escapes every "<", so no tag starts inside it.
 */
export function internalLinks(html: string, pageUrl: URL): string[] {
  const found = new Set<string>();
  for (const [tag] of html.matchAll(TAG)) {
    for (const match of tag.matchAll(URL_ATTRIBUTE)) {
      const raw = decodeAttribute(match[2] ?? match[3] ?? match[4] ?? '');
      const candidates =
        match[1]!.toLowerCase() === 'srcset' ? raw.split(',').map((item) => item.trim().split(/\s+/)[0] ?? '') : [raw];
      for (const candidate of candidates) {
        if (candidate === '' || candidate.startsWith('#')) continue;
        let url: URL;
        try {
          url = new URL(candidate, pageUrl);
        } catch {
          continue;
        }
        if (url.origin !== pageUrl.origin) continue;
        found.add(url.pathname + url.search);
      }
    }
  }
  return [...found];
}
