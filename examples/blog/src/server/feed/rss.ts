import type { PostSummary } from '../../shared/model.js';

export interface FeedChannel {
  readonly title: string;
  readonly description: string;
  /** The public origin (PUBLIC_URL): every link in the feed is absolute. */
  readonly origin: string;
  /** Where the feed itself is served, for its `atom:link rel="self"`. */
  readonly path: string;
  readonly builtAt: Date;
}

// Characters XML 1.0 cannot carry at all (C0 controls but tab and line ends, lone surrogates,
// U+FFFE/U+FFFF): escaping cannot save them, so they are dropped and the document stays well-formed.
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as XML character data or an attribute value. */
export function escapeXml(value: string): string {
  return value
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** RSS 2.0 dates are RFC 822 (with four-digit years), which `toUTCString` writes. */
const rfc822 = (date: Date) => date.toUTCString();

/** An RSS 2.0 document of the posts given, newest first as given. */
export function renderRss(channel: FeedChannel, posts: readonly PostSummary[]): string {
  const home = `${channel.origin}/`;
  const items = posts.map((post) => {
    const link = `${channel.origin}/posts/${post.id}`;
    return `    <item>
      <title>${escapeXml(post.title)}</title>
      <link>${escapeXml(link)}</link>
      <guid isPermaLink="true">${escapeXml(link)}</guid>
      <dc:creator>${escapeXml(post.author)}</dc:creator>
      <pubDate>${rfc822(new Date(post.publishedAt))}</pubDate>
      <description>${escapeXml(post.excerpt)}</description>
    </item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>${escapeXml(channel.title)}</title>
    <link>${escapeXml(home)}</link>
    <description>${escapeXml(channel.description)}</description>
    <language>en</language>
    <atom:link href="${escapeXml(channel.origin + channel.path)}" rel="self" type="application/rss+xml"/>
    <lastBuildDate>${rfc822(channel.builtAt)}</lastBuildDate>
    <ttl>60</ttl>
${items.join('\n')}
  </channel>
</rss>
`;
}
