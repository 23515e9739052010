/**
 * Intl formatters, made once per locale and options and reused: building one costs far more than
 * formatting with it (a page of dates built one per call spent ~14% of its render doing so).
 */
type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules;

type Kind = 'date' | 'number' | 'plural';

/** By kind, options object and locale: the usual constant options object finds its formatter without building a key. */
const byOptions: Record<Kind, WeakMap<object, Map<string, Formatter>>> = {
  date: new WeakMap(),
  number: new WeakMap(),
  plural: new WeakMap(),
};
/** Without options, by kind and locale. */
const withoutOptions = new Map<string, Formatter>();
/** By a key built from the options' content, for options passed as a fresh literal per call. */
const byContent = new Map<string, Formatter>();

function cached<F extends Formatter>(kind: Kind, locale: string, options: object | undefined, make: () => F): F {
  if (options === undefined) {
    const key = `${kind}\0${locale}`;
    let formatter = withoutOptions.get(key) as F | undefined;
    if (!formatter) withoutOptions.set(key, (formatter = make()));
    return formatter;
  }
  let forOptions = byOptions[kind].get(options);
  if (!forOptions) byOptions[kind].set(options, (forOptions = new Map()));
  const known = forOptions.get(locale) as F | undefined;
  if (known) return known;
  const key = `${kind}\0${locale}\0${JSON.stringify(options)}`;
  let formatter = byContent.get(key) as F | undefined;
  if (!formatter) byContent.set(key, (formatter = make()));
  forOptions.set(locale, formatter);
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
