import { createDictionaries, type Dictionaries, type Dictionary } from '@composable-svelte/core/i18n';
import type { Messages } from './en.js';
import type { MemberMessages } from './en-member.js';
import type { ReadingMessages } from './en-reading.js';
import type { Locale } from './locales.js';

/** What every page shows, in each locale: a chunk per locale, so a page fetches only its own locale's. */
export const dictionaries = createDictionaries<Locale, Messages>({
  en: () => import('./en.js'),
  fr: () => import('./fr.js'),
});

/**
 * The texts only some pages show, a chunk per locale and section, loaded with those pages
 * (page-components.ts): `reading`, the post, comments, newsletter and error pages'; `member`, the
 * pages behind sign-in, the sign-in forms' and the admin area's. A first visit to the list
 * downloads neither.
 */
export const sections = {
  reading: createDictionaries<Locale, ReadingMessages>({
    en: () => import('./en-reading.js'),
    fr: () => import('./fr-reading.js'),
  }),
  member: createDictionaries<Locale, MemberMessages>({
    en: () => import('./en-member.js'),
    fr: () => import('./fr-member.js'),
  }),
};

export type Section = keyof typeof sections;

/** The messages of a locale; the page's locale is loaded before anything renders. */
export const messagesOf = (locale: Locale): Messages => dictionaries.get(locale);

/** A section's messages with every page's, once per locale: the section loads with its pages, before they render. */
function withSection<S extends Dictionary>(section: Dictionaries<Locale, S>) {
  const merged = new Map<Locale, Messages & S>();
  return (locale: Locale): Messages & S => {
    let messages = merged.get(locale);
    if (!messages) merged.set(locale, (messages = { ...dictionaries.get(locale), ...section.get(locale) }));
    return messages;
  };
}

/** The post, comments, newsletter and error pages' messages. */
export const readingMessagesOf = withSection(sections.reading);

/** The signed-in, sign-in and admin pages' messages (and the server's own). */
export const memberMessagesOf = withSection(sections.member);

/** The client modules of the messages a page shows, for the server's modulepreload. */
export const messagesModules = (locale: Locale, section: Section | undefined): string[] => [
  `src/shared/i18n/${locale}.ts`,
  ...(section ? [`src/shared/i18n/${locale}-${section}.ts`] : []),
];
