/**
 * The blog's English date and count formats (examples/blog/src/shared/format.ts and its English
 * messages), written out here: the blog's own module now reads its locales, which this peer has not.
 * One formatter, made once, as the blog's cached one.
 */
const dateFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' });

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
