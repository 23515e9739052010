/**
 * A strict XML 1.0 well-formedness check for generated documents (the repo has no XML parser):
 * one root, every tag closed in order, attributes quoted and not repeated, only the predefined and
 * numeric entities, no `<` or `&` loose in text, no characters XML cannot carry. Returns the
 * problem, or undefined; `elements` lists the element names met, in order, for assertions.
 */
const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const ATTRIBUTE = new RegExp(`\\s+(${NAME})\\s*=\\s*("[^"<]*"|'[^'<]*')`, 'y');
const ENTITY = /&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9A-Fa-f]+);/y;
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

export function xmlProblem(document: string, elements: string[] = []): string | undefined {
  if (NOT_XML.test(document)) return 'a character XML 1.0 cannot carry';
  const declaration = /^<\?xml version="1\.0" encoding="UTF-8"\?>\s*/.exec(document);
  if (!declaration) return 'no XML declaration first';
  let at = declaration[0].length;
  const open: string[] = [];
  let roots = 0;
  while (at < document.length) {
    const char = document[at]!;
    if (char === '<') {
      const end = new RegExp(`</(${NAME})\\s*>`, 'y');
      end.lastIndex = at;
      const closing = end.exec(document);
      if (closing) {
        if (open.pop() !== closing[1]) return `</${closing[1]}> closes nothing open at ${at}`;
        at = end.lastIndex;
        continue;
      }
      const start = new RegExp(`<(${NAME})`, 'y');
      start.lastIndex = at;
      const tag = start.exec(document);
      if (!tag) return `a bad tag at ${at}`;
      if (open.length === 0 && ++roots > 1) return 'more than one root element';
      at = start.lastIndex;
      const seen = new Set<string>();
      for (;;) {
        ATTRIBUTE.lastIndex = at;
        const attribute = ATTRIBUTE.exec(document);
        if (!attribute) break;
        if (seen.has(attribute[1]!)) return `attribute ${attribute[1]} repeated at ${at}`;
        seen.add(attribute[1]!);
        const value = attribute[2]!.slice(1, -1);
        if (entityProblem(value)) return `a bad entity in an attribute at ${at}`;
        at = ATTRIBUTE.lastIndex;
      }
      const close = /\s*(\/?)>/y;
      close.lastIndex = at;
      const closed = close.exec(document);
      if (!closed) return `an unterminated <${tag[1]}> at ${at}`;
      elements.push(tag[1]!);
      if (closed[1] !== '/') open.push(tag[1]!);
      at = close.lastIndex;
      continue;
    }
    const next = document.indexOf('<', at);
    const text = document.slice(at, next === -1 ? undefined : next);
    if (open.length === 0 && text.trim() !== '') return `text outside the root at ${at}`;
    if (text.includes('>') && text.includes(']]>')) return `"]]>" in text at ${at}`;
    if (entityProblem(text)) return `a bad entity or loose "&" at ${at}`;
    at = next === -1 ? document.length : next;
  }
  if (open.length > 0) return `<${open.at(-1)}> never closed`;
  if (roots !== 1) return 'no root element';
  return undefined;
}

function entityProblem(text: string): boolean {
  for (let index = text.indexOf('&'); index !== -1; index = text.indexOf('&', index + 1)) {
    ENTITY.lastIndex = index;
    if (!ENTITY.test(text)) return true;
  }
  return false;
}

/** The text of every `<name>` element, entities decoded. */
export function elementTexts(document: string, name: string): string[] {
  return [...document.matchAll(new RegExp(`<${name}(?:\\s[^>]*)?>([^<]*)</${name}>`, 'g'))].map((match) =>
    match[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
      .replace(/&amp;/g, '&'),
  );
}
