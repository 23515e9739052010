async function text(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000), headers: { accept: 'text/html' } });
  const body = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  return body;
}

/** The origin each server prints into its canonical links is the only thing allowed to differ. */
const withoutOrigin = (body, url) => body.replaceAll(`localhost:${new URL(url).port}`, 'localhost:<port>');

/**
 * Do the two tiers serve the same data? Compares ours' /api/posts and SvelteKit's `/` between the
 * embedded and the PostgreSQL servers, so a tier that measured other rows (a seed gone wrong, a stale
 * bench database) shows up instead of skewing its ratios.
 */
export async function compareTiers(handles) {
  const pairs = [
    { what: 'ours /api/posts', a: 'ours', b: 'pg-ours', path: '/api/posts' },
    { what: 'SvelteKit / (port aside)', a: 'sveltekit', b: 'pg-sveltekit', path: '/' },
  ];
  const results = [];
  for (const { what, a, b, path } of pairs) {
    if (!handles[a] || !handles[b]) continue;
    try {
      const [left, right] = [await text(handles[a].url + path), await text(handles[b].url + path)];
      const same = withoutOrigin(left, handles[a].url) === withoutOrigin(right, handles[b].url);
      results.push({
        what,
        status: same ? 'same' : 'DIFFERENT',
        evidence: `embedded ${left.length} bytes, PostgreSQL ${right.length} bytes`,
      });
    } catch (error) {
      results.push({ what, status: 'unclear', evidence: error.message });
    }
  }
  return results;
}
