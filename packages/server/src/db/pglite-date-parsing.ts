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

/**
 * Arrays Drizzle's driver also asks as text (since drizzle-orm 0.45): numeric[], timestamp[],
 * timestamptz[], interval[], date[]. Without the option PGlite hands them over as arrays of the
 * elements' text (the scalar types above are text at the database level), which Drizzle's array
 * columns take as well as the literal: they split a string themselves and map each element alike.
 */
const TEXT_ARRAY_TYPES = new Set<number>([1231, 1115, 1185, 1187, 1182]);

/** Drizzle's per-query option: pass-throughs for the text-date types (and, in 0.45, their arrays). */
function isDrizzlesOption(parsers: Record<number, unknown>): boolean {
  const typeIds = Object.keys(parsers).map(Number);
  return (
    [...TEXT_DATE_TYPES].every((typeId) => typeIds.includes(typeId)) &&
    typeIds.every((typeId) => TEXT_DATE_TYPES.has(typeId) || TEXT_ARRAY_TYPES.has(typeId))
  );
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
 * read of the blog's post list (24 rows), measured on 2026-11-30 (and ~160 µs per page again on
 * 2026-12-01, after drizzle-orm 0.45 added the array types and the option went unrecognized: a
 * test now runs the installed driver through this wrapper). So the embedded database is
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
