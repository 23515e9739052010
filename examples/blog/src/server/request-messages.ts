import type { FastifyRequest } from 'fastify';
import { requestLocale } from '@composable-svelte/server/i18n';
import type { Messages } from '../shared/i18n/en.js';
import type { MemberMessages } from '../shared/i18n/en-member.js';
import { locales } from '../shared/i18n/locales.js';
import { memberMessagesOf } from '../shared/i18n/messages.js';

/**
 * The interface messages in the locale of the page a request came from (`/fr/…`, kept in its
 * original URL): what the blog itself says back, in flash messages and refused forms. The server
 * has every locale loaded before it serves.
 */
export function requestMessages(request: FastifyRequest): Messages & MemberMessages {
  const locale = requestLocale(request, locales, locales.defaultLocale);
  return memberMessagesOf(locales.isLocale(locale) ? locale : locales.defaultLocale);
}
