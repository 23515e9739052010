import { dateFormat } from '@composable-svelte/core/i18n';
import { INTL_LOCALE, type Locale } from './i18n/locales.js';

/**
 * Dates render in UTC so server and browser produce identical text and hydration matches. The
 * formatter is made once per locale (core/i18n caches it), not per date.
 */
const DATE: Intl.DateTimeFormatOptions = { dateStyle: 'long', timeZone: 'UTC' };
const DATE_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' };

/**
 * Formatted dates, remembered per locale: a page lists the same posts' dates on every render, and
 * ICU's formatting (~4 µs a date) was a tenth of a list page's server time. Bounded: past it, the
 * memory starts over.
 */
const DATES_KEPT = 2000;
const formatted = new Map<string, string>();

export function formatDate(iso: string, locale: Locale = 'en'): string {
  const key = `${locale} ${iso}`;
  let text = formatted.get(key);
  if (text === undefined) {
    text = dateFormat(INTL_LOCALE[locale], DATE).format(new Date(iso));
    if (formatted.size >= DATES_KEPT) formatted.clear();
    formatted.set(key, text);
  }
  return text;
}

/** Date and time (UTC, labelled so), where the hour matters: a job's failure, its next run. */
export function formatDateTime(iso: string, locale: Locale = 'en'): string {
  const format = dateFormat(INTL_LOCALE[locale], DATE_TIME);
  return `${format.format(new Date(iso))} UTC`;
}
