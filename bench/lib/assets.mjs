import { gzipSync } from 'node:zlib';

/** gzip at zlib's default level (6), the level servers use for on-the-fly compression. */
export const gzipBytes = (buffer) => gzipSync(buffer).length;

async function get(url) {
  const response = await fetch(url, {
    signal: AbortSignal.timeout(10_000),
    headers: { accept: 'text/html,*/*;q=0.8' },
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return { body, headers: response.headers };
}

function attributes(tag) {
  const attrs = {};
  for (const match of tag.matchAll(/([a-zA-Z:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attrs[match[1].toLowerCase()] = match[2] ?? match[3] ?? match[4] ?? '';
  }
  return attrs;
}

/**
 * The JavaScript a page makes the browser load at start-up, as URLs: `<script src>`, `<link
 * rel=modulepreload>` in the HTML and in the Link header, `import("…")` in inline scripts (SvelteKit's
 * bootstrap). Dynamic imports inside the bundles (lazy routes) are not followed.
 */
export function scriptUrls(html, linkHeader, pageUrl) {
  const found = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    const { src } = attributes(tag.slice(7, -1));
    if (src) found.push(src);
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    const attrs = attributes(tag.slice(5, -1));
    if (attrs.rel?.split(/\s+/).includes('modulepreload') && attrs.href) found.push(attrs.href);
  }
  for (const part of (linkHeader ?? '').split(/,(?=\s*<)/)) {
    const match = /<([^>]+)>(.*)/.exec(part.trim());
    if (match && /rel\s*=\s*"?modulepreload"?/i.test(match[2])) found.push(match[1]);
  }
  for (const [, body] of html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/gi)) {
    for (const match of body.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) found.push(match[1]);
  }
  return [...new Set(found.map((ref) => new URL(ref, pageUrl).href))];
}

/** Static imports of a built ES module (`import … from "./x.js"`, `import "./x.js"`, `export … from`). */
function staticImports(code, moduleUrl) {
  const urls = [];
  for (const match of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["']([^"']+)["']/g)) {
    if (/^(\.{1,2}\/|\/)/.test(match[1])) urls.push(new URL(match[1], moduleUrl).href);
  }
  return urls;
}

/**
 * Bytes of the page's HTML and of the JS it loads at start-up: every script the HTML references
 * plus whatever those import statically, each fetched once from the running server. gzip is per
 * file, summed, as a browser would receive them one by one.
 */
export async function pageWeight(pageUrl) {
  const { body: html, headers } = await get(pageUrl);
  const origin = new URL(pageUrl).origin;
  const queue = scriptUrls(html.toString('utf8'), headers.get('link'), pageUrl).filter(
    (u) => new URL(u).origin === origin,
  );
  const seen = new Set(queue);
  const files = [];
  while (queue.length > 0) {
    const url = queue.shift();
    const { body } = await get(url);
    files.push({ path: new URL(url).pathname, raw: body.length, gzip: gzipBytes(body) });
    for (const next of staticImports(body.toString('utf8'), url)) {
      if (!seen.has(next) && new URL(next).origin === origin) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return {
    html: { raw: html.length, gzip: gzipBytes(html) },
    js: {
      raw: files.reduce((t, f) => t + f.raw, 0),
      gzip: files.reduce((t, f) => t + f.gzip, 0),
      files: files.length,
      list: files,
    },
  };
}
