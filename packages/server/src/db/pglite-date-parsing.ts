import { types, type PGlite, type Results } from '@electric-sql/pglite';

// PGlite's own parser type (it calls them with the type id too, which these do not need).
type Parser = (value: string) => unknown;
type QueryOptions = NonNullable<Parameters<PGlite['query']>[2]>;
type Statements = Pick<PGlite, 'query' | 'exec'>;

/** The types Drizzle reads as text and converts itself (timestamps, dates, intervals). */
const TEXT_DATE_TYPES = new Set<number>([types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE]);
const keepText: Parser = (value) => value;

/** PGlite opened with these parses Drizzle's dates as Drizzle asks, with no per-query option. */
export const textDateParsers: Record<number, Parser> = Object.fromEntries(
  [...TEXT_DATE_TYPES].map((typeId) => [typeId, keepText]),
);

const defaultParsers = types.parsers as Record<number, Parser | undefined>;
const defaultDateParsers: Record<number, Parser> = Object.fromEntries(
  [...TEXT_DATE_TYPES].map((typeId) => [typeId, defaultParsers[typeId] ?? keepText]),
);

/** Drizzle's per-query option names exactly the text-date types (each to a pass-through). */
function isDrizzlesOption(parsers: Record<number, unknown>): boolean {
  const typeIds = Object.keys(parsers);
  return typeIds.length === TEXT_DATE_TYPES.size && typeIds.every((typeId) => TEXT_DATE_TYPES.has(Number(typeId)));
}

/** Parses the text-date columns of a result the way PGlite does by default (to Date). */
function withDates(result: Results): Results {
  const columns = result.fields.flatMap((field, index) =>
    TEXT_DATE_TYPES.has(field.dataTypeID)
      ? [{ index, name: field.name, parse: defaultDateParsers[field.dataTypeID]! }]
      : [],
  );
  if (columns.length === 0) return result;
  for (const row of result.rows as Record<string | number, unknown>[]) {
    for (const { index, name, parse } of columns) {
      const key = Array.isArray(row) ? index : name;
      const value = row[key];
      if (typeof value === 'string') row[key] = parse(value);
    }
  }
  return result;
}

/**
 * Drizzle's PGlite driver passes `parsers` with every statement (to read dates as text), and PGlite
 * merges that option into a fresh copy of its whole parser table for each one: 140 µs of a 430 µs
 * read of the blog's post list (24 rows), measured on 2026-11-30. So the embedded database is
 * opened with Drizzle's text-date parsers (`textDateParsers`), and this wrapper drops Drizzle's
 * per-statement copy, which now changes nothing. Every other caller (pg-boss, the outbox, raw
 * statements) still gets what PGlite gives by default: dates as Date objects.
 */
export function parseDatesPerCaller(target: Statements): void {
  const query = target.query.bind(target);
  target.query = ((text: string, params?: unknown[], options?: QueryOptions) => {
    const parsers = options?.parsers;
    if (parsers !== undefined && isDrizzlesOption(parsers)) {
      const { parsers: _sameAsTheDatabase, ...rest } = options!;
      return query(text, params, rest);
    }
    if (parsers !== undefined)
      return query(text, params, { ...options, parsers: { ...defaultDateParsers, ...parsers } });
    return query(text, params, options).then((result) => withDates(result as Results));
  }) as PGlite['query'];
  const exec = target.exec.bind(target);
  target.exec = ((text: string, options?: QueryOptions) =>
    exec(text, options).then((results) => results.map(withDates))) as PGlite['exec'];
}
