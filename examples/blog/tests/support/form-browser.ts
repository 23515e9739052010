import { expect } from 'vitest';
import type { loadBuiltApp } from './built-server.js';
import { multipartBody, MULTIPART_TYPE, type FilePart } from './multipart.js';
import { TEST_PASSWORD } from './sessions.js';

export type BlogServer = Awaited<ReturnType<Awaited<ReturnType<typeof loadBuiltApp>>['createBlogServer']>>;

/** A browser without JavaScript: cookies, and the CSRF token of the last form page it loaded. */
export class FormBrowser {
  readonly cookies = new Map<string, string>();
  token = '';

  constructor(private readonly server: BlogServer) {}

  private keep(setCookie: string | string[] | number | undefined) {
    for (const line of setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [String(setCookie)]) {
      const [pair] = line.split(';');
      const [name, ...rest] = pair!.split('=');
      const value = rest.join('=');
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
  }

  cookieHeader() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  async get(url: string) {
    const response = await this.server.inject({ url, headers: { accept: 'text/html', cookie: this.cookieHeader() } });
    this.keep(response.headers['set-cookie']);
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (token) this.token = token;
    return response;
  }

  /** Posts the form with this browser's CSRF token; a field given several values repeats, as checkboxes do. */
  async post(url: string, form: Record<string, string | readonly string[]>) {
    const body = new URLSearchParams({ _csrf: this.token });
    for (const [name, value] of Object.entries(form)) for (const one of [value].flat()) body.append(name, one);
    const response = await this.server.inject({
      method: 'POST',
      url,
      headers: {
        accept: 'text/html',
        'content-type': 'application/x-www-form-urlencoded',
        cookie: this.cookieHeader(),
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
      },
      payload: body.toString(),
    });
    this.keep(response.headers['set-cookie']);
    return response;
  }

  /** Posts a multipart form (one with a file input) as a browser does: `_csrf` first, then the fields in order. */
  async postMultipart(url: string, form: Record<string, string | FilePart>, { csrf = true } = {}) {
    const response = await this.server.inject({
      method: 'POST',
      url,
      headers: { accept: 'text/html', 'content-type': MULTIPART_TYPE, cookie: this.cookieHeader() },
      payload: multipartBody([...(csrf ? [['_csrf', this.token] as [string, string]] : []), ...Object.entries(form)]),
    });
    this.keep(response.headers['set-cookie']);
    return response;
  }
}

/** A browser without JavaScript that has just signed a new account up through the form. */
export async function signUpBrowser(
  server: BlogServer,
  account: { name: string; email: string },
): Promise<FormBrowser> {
  const browser = new FormBrowser(server);
  await browser.get('/signup');
  const response = await browser.post('/signup', { ...account, password: TEST_PASSWORD });
  expect(response.statusCode, response.body).toBe(303);
  return browser;
}
