/** Query parameters that only track a visit: dropping them makes one page one URL. */
const TRACKING = /^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|yclid|_ga|_gl|_hsenc|_hsmi|igshid|ref_src|xtor|at_medium|at_campaign)$/i;

/**
 * The one spelling of a URL the frontier keys on: http(s) only, lower-case host (WHATWG URL does it),
 * default port dropped, fragment dropped, tracking parameters dropped, remaining parameters kept in
 * their order, `.`/`..` segments resolved. Returns null for URLs the crawler never fetches.
 */
export function normalizeUrl(input: string, base?: string): string | null {
  let u: URL;
  try {
    u = new URL(input.trim(), base);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password) return null;
  u.hash = '';
  {
    // Always reassigned: a bare "?" has an empty search but still shows in href.
    const kept = [...u.searchParams].filter(([k]) => !TRACKING.test(k));
    u.search = kept.length ? new URLSearchParams(kept).toString() : '';
  }
  if (u.hostname.endsWith('.')) u.hostname = u.hostname.slice(0, -1);
  return u.href;
}

/** `host:port` with the scheme's port made explicit: the unit of politeness and robots.txt. */
export function hostKey(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
}

/** The scope's spelling of a host: `host` for default ports, `host:port` otherwise. */
export function hostOf(url: string | URL): string {
  const u = typeof url === 'string' ? new URL(url) : url;
  return u.host;
}
