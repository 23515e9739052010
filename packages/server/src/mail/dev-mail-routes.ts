import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors/http-error.js';
import { escapeHtml } from '../render/html.js';
import { STORED_MAIL_ID, type StoredMailSummary } from './stored-mail.js';

export interface DevMailRoutesOptions {
  /** MAIL_DIR: where the file mailer writes. */
  readonly dir: string;
  /** true only when NODE_ENV is development: anywhere else the routes do not exist (404). */
  readonly development: boolean;
  /** Where the list is served; default `/_dev/mail`. */
  readonly prefix?: string;
}

const PRIVATE = { cacheControl: 'private, no-store' };
const URL_IN_TEXT = /(https?:\/\/[^\s<>"']+)/g;

/**
 * A development inbox: the mails the file mailer wrote, newest first, each viewable with its links
 * clickable (how a developer follows a verification link without a mail server). Everything shown
 * is escaped; the page needs no script or style, so the strict CSP stays as it is.
 */
export async function devMailRoutes(fastify: FastifyInstance, options: DevMailRoutesOptions): Promise<void> {
  if (!options.development) return;
  const prefix = options.prefix ?? '/_dev/mail';

  async function summaries(): Promise<StoredMailSummary[]> {
    const names = await readdir(options.dir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    const ids = names
      .filter((name) => name.endsWith('.json') && STORED_MAIL_ID.test(name.slice(0, -5)))
      .map((name) => name.slice(0, -5))
      .sort()
      .reverse();
    return Promise.all(ids.map((id) => summary(id)));
  }

  async function summary(id: string): Promise<StoredMailSummary> {
    if (!STORED_MAIL_ID.test(id)) throw notFound(`No mail with id ${JSON.stringify(id)}`);
    const raw = await readFile(join(options.dir, `${id}.json`), 'utf8').catch(() => {
      throw notFound(`No mail with id ${id} in ${options.dir}`);
    });
    return JSON.parse(raw) as StoredMailSummary;
  }

  fastify.get(prefix, { config: PRIVATE }, async (_request, reply) => {
    const mails = await summaries();
    const rows = mails.map(
      (mail) =>
        `<tr><td>${escapeHtml(mail.date)}</td><td>${escapeHtml(mail.to)}</td><td><a href="${prefix}/${mail.id}">${escapeHtml(mail.subject)}</a></td></tr>`,
    );
    const body =
      mails.length === 0
        ? `<p>No mail yet. Messages sent while SMTP_URL is unset are written to ${escapeHtml(options.dir)} and listed here.</p>`
        : `<table><thead><tr><th>Date</th><th>To</th><th>Subject</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
    return reply.type('text/html; charset=utf-8').send(page('Development mail', body));
  });

  fastify.get<{ Params: { id: string } }>(`${prefix}/:id`, { config: PRIVATE }, async (request, reply) => {
    const mail = await summary(request.params.id);
    const text = mail.text
      .split(URL_IN_TEXT)
      .map((part, index) =>
        // split() with a capturing group puts the matches at the odd indexes.
        index % 2 === 1 ? `<a href="${escapeHtml(part)}">${escapeHtml(part)}</a>` : escapeHtml(part),
      )
      .join('');
    const body = `<p><a href="${prefix}">All mail</a> · <a href="${prefix}/${mail.id}/raw">Raw message (.eml)</a></p>
<dl><dt>Date</dt><dd>${escapeHtml(mail.date)}</dd><dt>From</dt><dd>${escapeHtml(mail.from)}</dd><dt>To</dt><dd>${escapeHtml(mail.to)}</dd><dt>Subject</dt><dd>${escapeHtml(mail.subject)}</dd><dt>Message-ID</dt><dd>${escapeHtml(mail.messageId)}</dd></dl>
<pre>${text}</pre>`;
    return reply.type('text/html; charset=utf-8').send(page(mail.subject, body));
  });

  fastify.get<{ Params: { id: string } }>(`${prefix}/:id/raw`, { config: PRIVATE }, async (request, reply) => {
    const { id } = await summary(request.params.id);
    const raw = await readFile(join(options.dir, `${id}.eml`));
    // text/plain, not message/rfc822: the browser shows it rather than handing it to a mail client.
    return reply.type('text/plain; charset=utf-8').send(raw);
  });
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><h1>${escapeHtml(title)}</h1>
${body}
</body></html>`;
}
