import { createDictionaries } from '@composable-svelte/core/i18n';
import type { Messages } from './en.js';
import type { MemberMessages } from './en-member.js';
import type { Locale } from './locales.js';

/** Each locale's messages are a chunk of their own: a page fetches only its own locale's. */
export const dictionaries = createDictionaries<Locale, Messages>({
  en: () => import('./en.js'),
  fr: () => import('./fr.js'),
});

/**
 * The texts only the pages behind sign-in, the sign-in forms and the admin area show: one more
 * chunk per locale, which only those pages load (see page-components.ts), so a reader of the list
 * and the posts never downloads them.
 */
export const memberDictionaries = createDictionaries<Locale, MemberMessages>({
  en: () => import('./en-member.js'),
  fr: () => import('./fr-member.js'),
});

/** The messages of a locale; the page's locale is loaded before anything renders. */
export const messagesOf = (locale: Locale): Messages => dictionaries.get(locale);

const withMember = new Map<Locale, Messages & MemberMessages>();

/** A member page's messages, the public ones included: loaded with the page's component, before it renders. */
export function memberMessagesOf(locale: Locale): Messages & MemberMessages {
  let messages = withMember.get(locale);
  if (!messages)
    withMember.set(locale, (messages = { ...dictionaries.get(locale), ...memberDictionaries.get(locale) }));
  return messages;
}

/** The client modules of a locale's messages a page needs, for the server's modulepreload. */
export const messagesModules = (locale: Locale, member: boolean): string[] =>
  member ? [`src/shared/i18n/${locale}.ts`, `src/shared/i18n/${locale}-member.ts`] : [`src/shared/i18n/${locale}.ts`];
