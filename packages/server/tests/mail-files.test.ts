/**
 * The embedded mail default: RFC 5322 messages written as .eml files, and the development inbox at
 * /_dev/mail (development only, escaped, under the unchanged strict CSP).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CSP } from '../src/security/headers.js';
import { createFileMailer } from '../src/mail/file-mailer.js';
import { createMailer } from '../src/mail/create-mailer.js';
import { expectStrictCsp, parseCsp } from './support/security-csp.js';
import { closeTestServers, startTestServer } from './support/test-server.js';

closeTestServers();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function mailDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cs-mail-'));
  dirs.push(dir);
  return join(dir, 'mail');
}

const HOSTILE = {
  to: 'reader@example.com',
  subject: 'Reset <script>alert(1)</script> "now" – ünïcödé',
  text: 'Open https://field-notes.test/password/reset?token=abc_DEF-123 within 30 minutes.\n<img src=x onerror=alert(1)>',
};

describe('file mailer', () => {
  it('writes each message as an RFC 5322 .eml file, created with the directory', async () => {
    const dir = mailDir();
    const mailer = createMailer({
      mail: {
        smtpUrl: undefined,
        dir,
        from: 'Field Notes <no-reply@field-notes.test>',
        perAddressMax: 5,
        resetTtlMs: 1,
        verificationTtlMs: 1,
      },
    });
    expect(mailer.kind).toBe('files');
    const { messageId } = await mailer.send(HOSTILE);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{13}-[0-9a-f]{12}\.eml$/);
    const eml = readFileSync(join(dir, files[0]!), 'utf8');
    const [head, body] = eml.split('\r\n\r\n', 2) as [string, string];
    // Headers end with CRLF, and every line does (no bare LF anywhere).
    expect(eml.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(head).toMatch(/^From: Field Notes <no-reply@field-notes\.test>$/m);
    expect(head).toMatch(/^To: reader@example\.com$/m);
    expect(head).toContain(`Message-ID: ${messageId}`);
    expect(head).toMatch(/^Date: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/m);
    expect(head).toMatch(/^MIME-Version: 1\.0$/m);
    // A non-ASCII subject is RFC 2047-encoded, never raw 8-bit in a header.
    expect(head).toMatch(/^Subject: =\?UTF-8\?[QB]\?/m);
    expect(head).not.toContain('ü');
    expect(body.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, files[1]!), 'utf8'))).toMatchObject({ messageId, ...HOSTILE });
    mailer.close();
  });

  it('names messages so that they sort in the order they were sent, even within one millisecond', async () => {
    const dir = mailDir();
    const mailer = createFileMailer({ dir, from: 'no-reply@field-notes.test' });
    // A clock stuck on one millisecond: every message is sent "at once".
    const now = vi.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 1));
    try {
      for (let n = 0; n < 40; n++) await mailer.send({ to: 'reader@example.com', subject: `mail ${n}`, text: `${n}` });
    } finally {
      now.mockRestore();
    }
    const subjects = readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => (JSON.parse(readFileSync(join(dir, name), 'utf8')) as { subject: string }).subject);
    expect(subjects).toEqual(Array.from({ length: 40 }, (_, n) => `mail ${n}`));
    mailer.close();
  });
});

describe('development inbox at /_dev/mail', () => {
  async function inbox(nodeEnv: 'development' | 'production') {
    const dir = mailDir();
    await createFileMailer({ dir, from: 'no-reply@field-notes.test' }).send(HOSTILE);
    const env = { NODE_ENV: nodeEnv, MAIL_DIR: dir, RATE_LIMIT_ENABLED: 'false' };
    const { server } = await startTestServer(
      nodeEnv === 'development' ? { baseEnv: { LOG_LEVEL: 'silent' }, env } : { env },
    );
    return server;
  }

  it('lists the messages and shows one, everything escaped, links clickable, strict CSP', async () => {
    const server = await inbox('development');
    const list = await server.inject({ method: 'GET', url: '/_dev/mail' });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('private, no-store');
    expectStrictCsp(list.headers['content-security-policy'] as string, '/_dev/mail');
    expect(parseCsp(list.headers['content-security-policy'] as string).get('script-src')).toEqual(
      DEFAULT_CSP['script-src'],
    );
    expect(list.body).not.toContain('<script>');
    expect(list.body).toContain('Reset &lt;script&gt;alert(1)&lt;/script&gt; &quot;now&quot;');
    const id = /href="\/_dev\/mail\/(\d{13}-[0-9a-f]{12})"/.exec(list.body)![1]!;

    const one = await server.inject({ method: 'GET', url: `/_dev/mail/${id}` });
    expect(one.statusCode).toBe(200);
    expect(one.body).not.toContain('<img');
    expect(one.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(one.body).toContain(
      '<a href="https://field-notes.test/password/reset?token=abc_DEF-123">https://field-notes.test/password/reset?token=abc_DEF-123</a>',
    );
    const raw = await server.inject({ method: 'GET', url: `/_dev/mail/${id}/raw` });
    expect(raw.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(raw.body).toMatch(/^Message-ID: </m);

    for (const bad of ['../../etc/passwd', '%2e%2e%2fsecret', '1234', `${id.slice(0, -1)}g`]) {
      const response = await server.inject({
        method: 'GET',
        url: `/_dev/mail/${bad}`,
        headers: { accept: 'application/json' },
      });
      expect(response.statusCode, bad).toBe(404);
    }
  });

  it('does not exist outside development', async () => {
    const server = await inbox('production');
    for (const url of ['/_dev/mail', '/_dev/mail/1700000000000-0123456789ab']) {
      const response = await server.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect(response.statusCode, url).toBe(404);
    }
  });
});
