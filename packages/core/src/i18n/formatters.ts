/**
 * Intl formatters, made once per locale and options and reused: building one costs far more than
 * formatting with it (a page of dates built one per call spent ~14% of its render doing so).
 */
const cache = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();

/**
 * Options passed as one constant object (the usual way) are serialized once, not on every call:
 * a page formats dozens of dates. A fresh literal per call still works; it is serialized each time.
 */
const optionKeys = new WeakMap<object, string>();
function optionsKey(options: object): string {
  let key = optionKeys.get(options);
  if (key === undefined) {
    key = JSON.stringify(options);
    optionKeys.set(options, key);
  }
  return key;
}

function cached<F extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(
  kind: string,
  locale: string,
  options: object | undefined,
  make: () => F,
): F {
  const key = `${kind}\0${locale}\0${options === undefined ? '' : optionsKey(options)}`;
  let formatter = cache.get(key) as F | undefined;
  if (!formatter) {
    formatter = make();
    cache.set(key, formatter);
  }
  return formatter;
}

export function dateFormat(locale: string, options?: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return cached('date', locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string, options?: Intl.NumberFormatOptions): Intl.NumberFormat {
  return cached('number', locale, options, () => new Intl.NumberFormat(locale, options));
}

export function pluralRules(locale: string, options?: Intl.PluralRulesOptions): Intl.PluralRules {
  return cached('plural', locale, options, () => new Intl.PluralRules(locale, options));
}

/** The plural categories a message may give; `other` is the one every language has. */
export type PluralForms = Partial<Record<Exclude<Intl.LDMLPluralRule, 'other'>, string>> & {
  readonly other: string;
  /** Exact counts first, as ICU's `=0`: `{ 0: 'no comments' }`. */
  readonly [exact: number]: string;
};

/**
 * ICU's `plural` for a count: an exact match, else the locale's category (`one`, `few`, `many`…),
 * else `other`. `#` in the chosen text becomes the count, formatted for the locale.
 */
export function plural(locale: string, count: number, forms: PluralForms): string {
  const { category, shown } = countIn(locale, count);
  const text = forms[count] ?? (forms as Partial<Record<Intl.LDMLPluralRule, string>>)[category] ?? forms.other;
  return text.includes('#') ? text.replaceAll('#', shown) : text;
}

/** Counts seen per locale, remembered: pages show the same few dozen counts over and over. */
const COUNTS_KEPT = 1000;
const counts = new Map<string, Map<number, { category: Intl.LDMLPluralRule; shown: string }>>();

function countIn(locale: string, count: number): { category: Intl.LDMLPluralRule; shown: string } {
  // -0 shares 0's key in a Map but is written "-0".
  if (Object.is(count, -0))
    return { category: pluralRules(locale).select(count), shown: numberFormat(locale).format(count) };
  let known = counts.get(locale);
  if (!known) counts.set(locale, (known = new Map()));
  let found = known.get(count);
  if (!found) {
    found = { category: pluralRules(locale).select(count), shown: numberFormat(locale).format(count) };
    if (known.size >= COUNTS_KEPT) known.clear();
    known.set(count, found);
  }
  return found;
}

/** ICU's `select`: the text for a value, else `other`. */
export function select(value: string, cases: { readonly [value: string]: string; readonly other: string }): string {
  return Object.hasOwn(cases, value) ? cases[value]! : cases.other;
}
