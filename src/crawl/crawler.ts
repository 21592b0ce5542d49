import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { AddressGuard, type AddressPolicy } from './address-guard.js';
import { Fetcher, isFailure, type FetchResponse } from './fetcher.js';
import { Frontier, type DoneRecord, type FrontierEntry } from './frontier.js';
import { HostClock, backoffMs, retryAfterMs } from './politeness.js';
import { ROBOTS_MAX_BYTES, robotsAllows, robotsPolicy, type RobotsPolicy } from './robots.js';
import { decideFromFile, parseTdmFile, supersede, tdmMeta, type TdmDecision, type TdmFile } from './tdmrep.js';
import { readFeed, readPageLinks, readSitemap } from './discovery.js';
import { hostKey, hostOf, normalizeUrl } from './url.js';
import { WarcWriter } from './warc-writer.js';
import type { CrawlOptions } from './options.js';
import { VERSION } from '../version.js';

export interface CrawledPage {
  url: string;
  canonical: string | null;
  status: number;
  headers: Headers;
  body: Uint8Array;
  /** Charset named by Content-Type, if any. */
  charset: string | undefined;
  fetchedAt: string;
  depth: number;
  tdm: TdmDecision;
  warcRecordId: string;
}

export interface CrawlIo {
  /** Folder of the crawl: `frontier.jsonl` and `warc/` live here. */
  dir: string;
  sourceId: string;
  onPage?: (page: CrawledPage) => void | Promise<void>;
  /** Every URL's outcome, as written to the frontier journal. */
  onDone?: (record: DoneRecord) => void;
  log?: (message: string) => void;
  signal?: AbortSignal;
  /** Narrower address confinement (tests); see AddressGuard. */
  confine?: AddressPolicy['confine'];
}

export interface CrawlSummary {
  outcomes: Record<string, number>;
  warcFiles: string[];
  pending: number;
}

interface Host {
  key: string;
  origin: string;
  refused: string | null;
  robots: RobotsPolicy;
  tdm: TdmFile;
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);
const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
/** Outcomes that spend the max_pages budget. */
const COUNTED = ['fetched', 'unchanged', 'reserved', 'duplicate_canonical', 'duplicate_content', 'noindex'];

/**
 * Runs a crawl to completion (or until aborted): one request in flight per host, slots on each host's
 * clock, at most `concurrency` requests overall. Resumes from the journal in `io.dir` when it exists.
 */
export async function crawl(options: CrawlOptions, io: CrawlIo, mode: { refresh?: boolean } = {}): Promise<CrawlSummary> {
  const guard = new AddressGuard({ allow: options.allow_addresses, ...(io.confine ? { confine: io.confine } : {}) });
  const fetcher = new Fetcher(guard, { userAgent: options.user_agent, timeoutMs: options.timeout_ms });
  const frontier = new Frontier(join(io.dir, 'frontier.jsonl'));
  const warc = new WarcWriter(join(io.dir, 'warc'), io.sourceId, options.warc_max_bytes, `villers/${VERSION}`);
  const log = io.log ?? (() => {});
  const outcomes: Record<string, number> = {};
  const clocks = new Map<string, HostClock>();
  const hosts = new Map<string, Promise<Host>>();
  const queues = new Map<string, FrontierEntry[]>();
  const busy = new Set<string>();
  const contentSeen = new Set<string>();
  const include = options.scope.include.map((r) => new RegExp(r));
  const exclude = options.scope.exclude.map((r) => new RegExp(r));
  const startUrls = [...options.seeds, ...options.sitemaps, ...options.feeds];
  const scopeHosts = new Set(options.scope.hosts ?? startUrls.map((u) => hostOf(u)));

  const clock = (key: string) => {
    let c = clocks.get(key);
    if (!c) clocks.set(key, (c = new HostClock(options.rate_per_host)));
    return c;
  };

  /** Why a URL is out of scope, or null when it is in. */
  const outOfScope = (url: string, depth: number): string | null => {
    const u = new URL(url);
    if (!scopeHosts.has(u.host)) return 'host';
    if (!options.scope.path_prefixes.some((p) => u.pathname.startsWith(p))) return 'path_prefix';
    if (depth > options.scope.max_depth) return 'depth';
    if (include.length && !include.some((r) => r.test(url))) return 'include';
    if (exclude.some((r) => r.test(url))) return 'exclude';
    return null;
  };

  const enqueue = (entry: FrontierEntry) => {
    const key = hostKey(entry.url);
    let q = queues.get(key);
    if (!q) queues.set(key, (q = []));
    q.push(entry);
  };

  const discover = (raw: string, base: string, kind: FrontierEntry['kind'], depth: number, hops: number, via?: string): void => {
    const url = normalizeUrl(raw, base);
    if (!url || frontier.has(url)) return;
    if (kind === 'page' && outOfScope(url, depth)) return;
    const entry: FrontierEntry = { url, kind, depth, hops, ...(via ? { via } : {}) };
    if (frontier.add(entry)) enqueue(entry);
  };

  const finish = (record: DoneRecord) => {
    frontier.finish(record);
    outcomes[record.outcome] = (outcomes[record.outcome] ?? 0) + 1;
    io.onDone?.(record);
  };

  /** robots.txt and tdmrep.json: GET, following up to 5 redirects (RFC 9309 §2.3.1.2), each hop on its host's clock. */
  const fetchWellKnown = async (url: string) => {
    let current = url;
    for (let hop = 0; hop <= 5; hop++) {
      await clock(hostKey(current)).slot(io.signal);
      const r = await fetcher.fetch({ url: current, maxBytes: ROBOTS_MAX_BYTES, ...(io.signal ? { signal: io.signal } : {}) });
      if (isFailure(r)) return { kind: 'unreachable' as const, error: `${r.code}: ${r.error}` };
      const location = r.headers.get('location');
      if (REDIRECT_STATUS.has(r.status) && location) {
        const next = normalizeUrl(location, current);
        if (!next) return { kind: 'unreachable' as const, error: `bad redirect to ${location}` };
        current = next;
        continue;
      }
      return { kind: 'response' as const, status: r.status, body: r.body, url: current };
    }
    return { kind: 'unreachable' as const, error: 'too many redirects' };
  };

  const host = (key: string, url: string): Promise<Host> => {
    let h = hosts.get(key);
    if (!h) {
      h = (async (): Promise<Host> => {
        const origin = new URL(url).origin;
        try {
          await guard.resolve(new URL(url).hostname);
        } catch (e) {
          const none = { kind: 'none' as const, why: 'host refused' };
          return { key, origin, refused: (e as Error).message, robots: { kind: 'disallow_all', evidence: 'address refused' }, tdm: none };
        }
        const robotsUrl = `${origin}/robots.txt`;
        const robots = robotsPolicy(robotsUrl, await fetchWellKnown(robotsUrl), options.robots_token);
        if (robots.kind === 'rules' && robots.crawlDelayS) clock(key).slowTo(robots.crawlDelayS * 1000);
        log(`${key}: robots.txt ${robots.kind} (${robots.evidence})`);
        // TDMRep: the origin file is checked before anything else of the host is fetched.
        const tdmUrl = `${origin}/.well-known/tdmrep.json`;
        const t = await fetchWellKnown(tdmUrl);
        const tdm = t.kind === 'unreachable' ? parseTdmFile(tdmUrl, null, null, t.error) : parseTdmFile(t.url, t.status, t.body);
        log(`${key}: tdmrep.json ${tdm.kind === 'rules' ? `${tdm.rules.length} rules` : tdm.why}`);
        if (options.sitemaps_from_robots && robots.kind === 'rules') for (const s of robots.sitemaps) discover(s, origin, 'sitemap', 0, 0);
        return { key, origin, refused: null, robots, tdm };
      })();
      hosts.set(key, h);
    }
    return h;
  };

  const process = async (entry: FrontierEntry): Promise<void> => {
    const key = hostKey(entry.url);
    const h = await host(key, entry.url);
    const base = { url: entry.url, kind: entry.kind, depth: entry.depth };
    if (h.refused) return finish({ ...base, outcome: 'refused_address', detail: h.refused });
    if (!robotsAllows(h.robots, entry.url)) return finish({ ...base, outcome: 'disallowed_robots', evidence: h.robots.evidence });
    let tdm = decideFromFile(h.tdm, entry.url);
    const isPage = entry.kind === 'page';
    const conditional: Record<string, string> = {};
    if (entry.etag) conditional['If-None-Match'] = entry.etag;
    if (entry.lastModified) conditional['If-Modified-Since'] = entry.lastModified;

    let response: FetchResponse | null = null;
    let contentTypeOk = true;
    for (let attempt = 0; ; attempt++) {
      await clock(key).slot(io.signal);
      const r = await fetcher.fetch({
        url: entry.url,
        headers: conditional,
        maxBytes: options.max_body_bytes,
        ...(io.signal ? { signal: io.signal } : {}),
        onHeaders: (status, headers) => {
          if (status < 200 || status >= 300) return 'skip';
          if (!isPage) return 'body';
          contentTypeOk = allowedType(headers.get('content-type'), options.content_types);
          if (!contentTypeOk) return 'skip';
          tdm = supersede(tdm, 'header', headers.get('tdm-reservation'), headers.get('tdm-policy'));
          // Reserved so far: read only the head, where a meta tag may still lift the reservation.
          return tdm.reservation === 1 ? 'head-only' : 'body';
        },
        onHead: (head) => {
          const meta = tdmMeta(head.toString('latin1'));
          return supersede(tdm, 'meta', meta.reservation, meta.policy).reservation !== 1;
        },
      });
      if (isFailure(r)) {
        if (r.refused) return finish({ ...base, outcome: 'refused_address', detail: r.error });
        if (attempt < options.retries && !io.signal?.aborted) {
          clock(key).holdUntil(performance.now() + backoffMs(attempt, options.backoff_ms));
          continue;
        }
        return finish({ ...base, outcome: 'network_error', detail: `${r.code}: ${r.error}`, attempts: attempt + 1 });
      }
      if (RETRY_STATUS.has(r.status)) {
        const after = retryAfterMs(r.headers.get('retry-after'));
        if (after !== null && after > options.max_retry_after_s * 1000) {
          return finish({ ...base, outcome: 'gave_up', status: r.status, detail: `Retry-After ${after / 1000}s exceeds max_retry_after_s` });
        }
        if (attempt < options.retries) {
          // The whole host waits: a 429 or 503 is about the server, not one URL.
          clock(key).holdUntil(performance.now() + (after ?? backoffMs(attempt, options.backoff_ms)));
          continue;
        }
        return finish({ ...base, outcome: 'gave_up', status: r.status, attempts: attempt + 1 });
      }
      response = r;
      break;
    }
    const r = response;
    if (r.status === 304) return finish({ ...base, outcome: 'unchanged', status: 304, etag: entry.etag, lastModified: entry.lastModified });
    if (REDIRECT_STATUS.has(r.status)) {
      const target = normalizeUrl(r.headers.get('location') ?? '', entry.url);
      if (!target) return finish({ ...base, outcome: 'bad_redirect', status: r.status, location: r.headers.get('location') });
      if (entry.hops + 1 > options.max_redirects) return finish({ ...base, outcome: 'too_many_redirects', status: r.status, location: target });
      if (isPage && outOfScope(target, entry.depth)) return finish({ ...base, outcome: 'redirect_out_of_scope', status: r.status, location: target });
      discover(target, entry.url, entry.kind, entry.depth, entry.hops + 1, entry.url);
      return finish({ ...base, outcome: 'redirect', status: r.status, location: target });
    }
    if (r.status < 200 || r.status >= 300) return finish({ ...base, outcome: 'http_error', status: r.status });
    if (!contentTypeOk) return finish({ ...base, outcome: 'content_type_refused', status: r.status, content_type: r.headers.get('content-type') });
    if (r.read === 'truncated') return finish({ ...base, outcome: 'too_large', status: r.status, bytes: r.body.byteLength, content_length: r.headers.get('content-length') });

    if (!isPage) {
      try {
        if (entry.kind === 'sitemap') {
          const found = await readSitemap(r.body);
          for (const s of found.sitemaps) discover(s, entry.url, 'sitemap', 0, 0);
          for (const p of found.pages) discover(p, entry.url, 'page', 0, 0, entry.url);
          return finish({ ...base, outcome: 'sitemap', status: r.status, pages: found.pages.length, sitemaps: found.sitemaps.length });
        }
        const links = readFeed(r.body);
        for (const p of links) discover(p, entry.url, 'page', 0, 0, entry.url);
        return finish({ ...base, outcome: 'feed', status: r.status, pages: links.length });
      } catch (e) {
        return finish({ ...base, outcome: 'unparsable', status: r.status, detail: (e as Error).message });
      }
    }

    if (r.read === 'head-only') {
      warc.writeMetadata(entry.url, { outcome: 'reserved', tdm, note: 'body not read beyond the HTML head' });
      return finish({ ...base, outcome: 'reserved', status: r.status, tdm });
    }
    const html = Buffer.from(r.body).toString('latin1');
    const headEnd = html.search(/<\/head\s*>|<body[\s>]/i);
    const meta = tdmMeta(headEnd >= 0 ? html.slice(0, headEnd) : html.slice(0, 65536));
    tdm = supersede(tdm, 'meta', meta.reservation, meta.policy);
    if (tdm.reservation === 1) {
      warc.writeMetadata(entry.url, { outcome: 'reserved', tdm });
      return finish({ ...base, outcome: 'reserved', status: r.status, tdm });
    }

    const sha256 = createHash('sha256').update(r.body).digest('hex');
    const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(r.headers.get('content-type') ?? '')?.[1];
    const links = readPageLinks(Buffer.from(r.body).toString('utf8'), entry.url);
    const canonical = links.canonical ? normalizeUrl(links.canonical) : null;
    const etag = r.headers.get('etag') ?? undefined;
    const lastModified = r.headers.get('last-modified') ?? undefined;
    const validators = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
    if (!links.nofollow && entry.depth < options.scope.max_depth) for (const l of links.links) discover(l, entry.url, 'page', entry.depth + 1, 0, entry.url);

    if (canonical && canonical !== entry.url) {
      const prior = frontier.doneRecord(canonical);
      if (prior && prior.outcome === 'fetched') return finish({ ...base, outcome: 'duplicate_canonical', status: r.status, canonical });
    }
    if (contentSeen.has(sha256)) return finish({ ...base, outcome: 'duplicate_content', status: r.status, sha256 });
    contentSeen.add(sha256);
    if (links.noindex) return finish({ ...base, outcome: 'noindex', status: r.status });

    const responseHeaders = r.rawHeaders.map(([k, v]): [string, string] => (k.toLowerCase() === 'transfer-encoding' ? ['X-Crawler-Transfer-Encoding', v] : [k, v]));
    const warcRecordId = warc.writeExchange({
      url: entry.url,
      date: r.startedAt,
      method: 'GET',
      requestHeaders: [...r.requestHeaders, ...Object.entries(conditional)],
      status: r.status,
      responseHeaders,
      body: r.body,
      metadata: { outcome: 'fetched', depth: entry.depth, via: entry.via ?? null, canonical, robots: h.robots.evidence, tdm },
    });
    if (canonical && canonical !== entry.url && !outOfScope(canonical, entry.depth)) {
      frontier.alias(canonical, { url: canonical, outcome: 'alias', of: entry.url });
    }
    finish({ ...base, outcome: 'fetched', status: r.status, sha256, canonical, tdm, warc: warcRecordId, ...validators });
    await io.onPage?.({ url: entry.url, canonical, status: r.status, headers: r.headers, body: r.body, charset, fetchedAt: r.startedAt.toISOString(), depth: entry.depth, tdm, warcRecordId });
  };

  // Seed the journal (URLs already known are not added twice), then the pending work of earlier runs.
  if (mode.refresh) frontier.startRefresh();
  for (const s of options.sitemaps) discover(s, s, 'sitemap', 0, 0);
  for (const f of options.feeds) discover(f, f, 'feed', 0, 0);
  for (const s of options.seeds) discover(s, s, 'page', 0, 0);
  queues.clear();
  for (const e of frontier.pendingEntries()) enqueue(e);
  log(`frontier: ${frontier.pendingEntries().length} to do, ${frontier.doneCount} done`);

  let fetchedBudget = options.scope.max_pages - (mode.refresh ? 0 : frontier.countOutcome(COUNTED));
  let wake: (() => void) | null = null;
  const active = new Set<Promise<void>>();
  const pick = (): FrontierEntry | null => {
    let best: string | null = null;
    for (const [key, q] of queues) {
      if (!q.length || busy.has(key)) continue;
      if (best === null || clock(key).readyAt < clock(best).readyAt) best = key;
    }
    if (best === null) return null;
    const q = queues.get(best)!;
    // Sitemaps and feeds first: they are how most pages are found.
    const i = q.findIndex((e) => e.kind !== 'page');
    const entry = q.splice(i >= 0 ? i : 0, 1)[0]!;
    // Finished meanwhile without a fetch (the canonical of a page fetched since): nothing to do.
    return frontier.isPending(entry.url) ? entry : pick();
  };

  try {
    for (;;) {
      if (io.signal?.aborted) break;
      const entry = active.size < options.concurrency ? pick() : null;
      if (entry) {
        if (entry.kind === 'page') {
          if (fetchedBudget <= 0) {
            // Over budget: left to do in the journal, so a later run with a larger budget goes on.
            queues.get(hostKey(entry.url))!.unshift(entry);
            busy.add(hostKey(entry.url));
            continue;
          }
          fetchedBudget--;
        }
        const key = hostKey(entry.url);
        busy.add(key);
        const task = process(entry)
          .catch((e) => {
            if (!io.signal?.aborted) finish({ url: entry.url, kind: entry.kind, depth: entry.depth, outcome: 'crawler_error', detail: (e as Error).message });
          })
          .finally(() => {
            busy.delete(key);
            active.delete(task);
            const rec = frontier.doneRecord(entry.url);
            if (entry.kind === 'page' && rec && !COUNTED.includes(rec.outcome)) fetchedBudget++;
            wake?.();
          });
        active.add(task);
        continue;
      }
      if (active.size === 0) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    await Promise.allSettled(active);
  } finally {
    warc.close();
    frontier.close();
    await fetcher.close();
  }
  return { outcomes, warcFiles: warc.files, pending: frontier.pendingEntries().length };
}

function allowedType(contentType: string | null, allowed: string[]): boolean {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return allowed.some((a) => a.toLowerCase() === type);
}
