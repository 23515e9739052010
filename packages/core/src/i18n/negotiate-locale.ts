/**
 * The best of `locales` for an Accept-Language header (RFC 9110 §12.5.4 with RFC 4647 lookup):
 * ranges by quality, then in the order sent; a range matches a locale equal to it or one it is a
 * prefix of (`fr` takes `fr-CA`), and a locale matches a range that extends it (`fr-CA` takes `fr`).
 * Undefined when nothing acceptable is offered. Written here, not taken from `negotiator`: that
 * package is Node-only, and this runs in the browser too and is twenty lines.
 */
export function negotiateLocale<L extends string>(header: string | undefined, locales: readonly L[]): L | undefined {
  if (!header) return undefined;
  const ranges = header
    .split(',')
    .map((part, index) => {
      const [range = '', ...params] = part.trim().split(';');
      const q = params.map((param) => /^\s*q=(.*)$/i.exec(param)?.[1]).find((value) => value !== undefined);
      // A malformed weight (q=abc) makes the range unusable rather than the most wanted.
      const quality = q === undefined ? 1 : /^\s*(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\s*$/.test(q) ? Number(q) : NaN;
      return { range: range.trim().toLowerCase(), quality, index };
    })
    .filter(({ range, quality }) => range !== '' && Number.isFinite(quality) && quality > 0)
    .sort((a, b) => b.quality - a.quality || a.index - b.index);
  for (const { range } of ranges) {
    if (range === '*') return locales[0];
    const found =
      locales.find((locale) => locale.toLowerCase() === range) ??
      locales.find((locale) => range.startsWith(`${locale.toLowerCase()}-`)) ??
      locales.find((locale) => locale.toLowerCase().startsWith(`${range}-`));
    if (found) return found;
  }
  return undefined;
}
