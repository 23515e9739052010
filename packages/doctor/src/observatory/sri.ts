import type { Expectation } from './expectations.js';
import { isExecutableScript, scriptTags } from './html.js';

export function isHtml(contentType: readonly string[] | undefined): boolean {
  const essence = contentType?.[0]?.split(';')[0]?.trim().toLowerCase();
  return essence === 'text/html' || essence === 'application/xhtml+xml';
}

/** Same host, or one is a subdomain of the other. */
function similarHost(a: string, b: string): boolean {
  return a === b || a.endsWith(`.${b}`) || b.endsWith(`.${a}`);
}

const INTEGRITY_TOKEN = /^sha(256|384|512)-[A-Za-z0-9+/_-]+={0,2}(\?.*)?$/i;

interface LoadedScript {
  readonly secure: boolean;
  readonly similarOrigin: boolean;
  readonly integrity: boolean;
}

export function sriExpectation(contentType: readonly string[] | undefined, body: string, page: URL): Expectation {
  if (!isHtml(contentType)) return 'SriNotImplementedResponseNotHtml';
  if (body.trim() === '') return 'HtmlNotParseable';
  const loaded: LoadedScript[] = [];
  for (const attributes of scriptTags(body)) {
    const src = (attributes.src ?? '').trim();
    // Data blocks (application/json…), import maps and inline scripts load nothing.
    if (!isExecutableScript(attributes) || src === '') continue;
    let url: URL;
    try {
      url = new URL(src, page);
    } catch {
      continue; // a browser cannot fetch it either
    }
    const similarOrigin = url.protocol === 'https:' && similarHost(url.hostname, page.hostname);
    // Protocol-relative (//host/…) sources to other hosts count as insecure, as the table says.
    const protocolRelative = /^[/\\]{2}/.test(src);
    const secure = url.protocol === 'https:' && !(protocolRelative && !similarOrigin);
    const integrity = (attributes.integrity ?? '')
      .trim()
      .split(/\s+/)
      .some((token) => INTEGRITY_TOKEN.test(token));
    loaded.push({ secure, similarOrigin, integrity });
  }
  if (loaded.length === 0) return 'SriNotImplementedButNoScriptsLoaded';
  const insecure = loaded.filter((s) => !s.secure);
  if (insecure.length > 0) {
    return insecure.every((s) => s.integrity)
      ? 'SriImplementedButExternalScriptsNotLoadedSecurely'
      : 'SriNotImplementedAndExternalScriptsNotLoadedSecurely';
  }
  if (loaded.every((s) => s.integrity)) {
    return loaded.every((s) => s.similarOrigin)
      ? 'SriImplementedAndAllScriptsLoadedSecurely'
      : 'SriImplementedAndExternalScriptsLoadedSecurely';
  }
  return loaded.every((s) => s.integrity || s.similarOrigin)
    ? 'SriNotImplementedButAllScriptsLoadedFromSecureOrigin'
    : 'SriNotImplementedButExternalScriptsLoadedSecurely';
}
