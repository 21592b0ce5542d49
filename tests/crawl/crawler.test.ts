import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { ServerResponse } from 'node:http';
import { crawl, type CrawledPage } from '../../src/crawl/crawler.js';
import { CrawlOptions } from '../../src/crawl/options.js';
import type { DoneRecord } from '../../src/crawl/frontier.js';
import { html, redirect, serveSite, text, type TestSite } from './site.js';
import { readWarc } from './warc-read.js';

// Pages written for this test. Crawl-delay (0.15 s) is slower than rate_per_host (20/s): it must win.
const CRAWL_DELAY_MS = 150;
let main: TestSite;
let slow: TestSite;
let other: TestSite; // on 127.0.0.2, which allow_addresses does not admit
let dir: string;
const pages: CrawledPage[] = [];
const done: DoneRecord[] = [];
let busyHits = 0;

function hugeHtml(res: ServerResponse, headers: Record<string, string>, head: string): void {
  res.writeHead(200, { 'content-type': 'text/html', ...headers });
  res.write(`<html><head>${head}<title>r</title></head><body>`);
  // A long body written in pieces: a crawler that stops after the head never takes it all.
  let n = 0;
  const push = () => {
    if (res.destroyed) return;
    if (n++ > 200) return void res.end('</body></html>');
    res.write(`<p>${'contenu réservé '.repeat(1000)}</p>`, () => setTimeout(push, 2));
  };
  push();
}

beforeAll(async () => {
  other = await serveSite('127.0.0.2', { '/page.html': html('<p>ne doit jamais être contacté</p>') });
  slow = await serveSite('127.0.0.1', {
    '/robots.txt': text(200, 'User-agent: *\nAllow: /\n'),
    '/slow.html': (_q, res) => void setTimeout(() => html('<p>trop tard</p>')(_q, res), 3000),
  });
  main = await serveSite('127.0.0.1', {});
  const o = main.origin;
  const links = [
    '/a.html', '/private/secret.html', '/redirect', '/loop/0', '/to-other', '/busy.html', '/huge.html', '/huge-chunked.html',
    '/image.png', '/dup.html?utm_source=x&id=3', '/dup.html?id=3#frag', '/canonical-a.html', '/canonical-b.html',
    '/reserved-file/a.html', '/reserved-file/header-lifted.html', '/reserved-file/meta-lifted.html', '/header-reserved.html',
    '/meta-reserved.html', '/header-invalid.html', `${slow.origin}/slow.html`, 'mailto:x@example.org', 'https://example.org/outside',
  ];
  const routes: Record<string, Parameters<typeof serveSite>[1][string]> = {
    '/robots.txt': text(200, `User-agent: other-bot\nDisallow: /\n\nUser-agent: villers-bot\nDisallow: /private/\nCrawl-delay: ${CRAWL_DELAY_MS / 1000}\n`),
    '/.well-known/tdmrep.json': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify([
        { location: '/reserved-file/', 'tdm-reservation': 1, 'tdm-policy': 'https://policies.invalid/p.json' },
        { location: '/header-invalid.html', 'tdm-reservation': 0 },
      ]));
    },
    '/': html(links.map((l) => `<a href="${l}">lien</a>`).join(' ')),
    '/a.html': html('<p>Page A</p><a href="/b.html">b</a>'),
    '/b.html': html('<p>Page B, profondeur deux</p><a href="/c.html">c</a>'),
    '/c.html': html('<p>Page C: au-delà de max_depth</p>'),
    '/private/secret.html': html('<p>interdit par robots.txt</p>'),
    '/redirect': redirect(301, '/target.html'),
    '/target.html': html('<p>cible de la redirection</p>'),
    '/to-other': redirect(302, `${other.origin}/page.html`),
    '/busy.html': (_q, res) => {
      busyHits++;
      if (busyHits === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else html('<p>enfin disponible</p>')(_q, res);
    },
    '/huge.html': (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(5_000_000) });
      res.write('<html><body>');
    },
    '/huge-chunked.html': (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = `<p>${'x'.repeat(16_000)}</p>`;
      const push = (): void => void (res.destroyed ? null : res.write(chunk, () => setTimeout(push, 1)));
      push();
    },
    '/image.png': (_q, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(100)),
    '/dup.html': html('<p>une seule fois</p>'),
    '/canonical-a.html': html('<p>version A de la page canonique</p>', `<link rel="canonical" href="${o}/canonical-b.html">`),
    '/canonical-b.html': html('<p>version B de la page canonique</p>'),
    '/reserved-file/a.html': (_q, res) => hugeHtml(res, {}, ''),
    '/reserved-file/header-lifted.html': (_q, res) => void res.writeHead(200, { 'content-type': 'text/html', 'tdm-reservation': '0' }).end('<html><head></head><body><p>levée par en-tête</p></body></html>'),
    '/reserved-file/meta-lifted.html': html('<p>levée par meta</p>', '<meta name="tdm-reservation" content="0">'),
    '/header-reserved.html': (_q, res) => hugeHtml(res, { 'tdm-reservation': '1', 'tdm-policy': 'https://policies.invalid/h.json' }, ''),
    '/meta-reserved.html': html('<p>réservée par meta</p>', '<meta name="TDM-Reservation" content="1"><meta name="tdm-policy" content="https://policies.invalid/m.json">'),
    '/header-invalid.html': (_q, res) => void res.writeHead(200, { 'content-type': 'text/html', 'tdm-reservation': 'yes' }).end('<html><body><p>valeur invalide</p></body></html>'),
    '/sitemap.xml': (_q, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.end(gzipSync(`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${o}/from-sitemap.html</loc></url></urlset>`));
    },
    '/feed.xml': text(200, `<?xml version="1.0"?><rss version="2.0"><channel><title>f</title><item><title>i</title><link>${o}/from-feed.html</link></item></channel></rss>`, { 'content-type': 'application/rss+xml' }),
    '/from-sitemap.html': html('<p>trouvée dans le sitemap</p>'),
    '/from-feed.html': html('<p>trouvée dans le flux</p>'),
  };
  for (let i = 0; i < 8; i++) routes[`/loop/${i}`] = redirect(302, `/loop/${i + 1}`);
  for (const [k, v] of Object.entries(routes)) main.routes.set(k, v);

  dir = mkdtempSync(join(tmpdir(), 'villers-crawl-'));
  const options = CrawlOptions.parse({
    seeds: [`${o}/`],
    sitemaps: [`${o}/sitemap.xml`],
    feeds: [`${o}/feed.xml`],
    scope: { hosts: [main.host, slow.host, other.host], max_depth: 2 },
    rate_per_host: 20,
    concurrency: 4,
    retries: 1,
    backoff_ms: 50,
    timeout_ms: 1000,
    max_body_bytes: 200_000,
    max_redirects: 3,
    allow_addresses: ['127.0.0.1'],
  });
  await crawl(options, { dir, sourceId: 'test', onPage: (p) => void pages.push(p), onDone: (r) => void done.push(r) });
}, 60_000);

afterAll(async () => {
  await Promise.all([main?.close(), slow?.close(), other?.close()]);
});

const outcome = (path: string, site = () => main) => done.find((d) => d.url === `${site().origin}${path}`)?.outcome;
const hitsOf = (path: string) => main.hits.filter((h) => h.path === path);

describe('crawler on a local site', () => {
  it('reads robots.txt and tdmrep.json before any page of the host', () => {
    expect(main.hits[0]!.path).toBe('/robots.txt');
    expect(main.hits[1]!.path).toBe('/.well-known/tdmrep.json');
    expect(main.hits[0]!.headers['user-agent']).toMatch(/^villers-bot\//);
  });

  it('spaces its requests to the host by the Crawl-delay (exact gaps: rate.test.ts, server on its own thread)', () => {
    const times = main.hits.map((h) => h.at).sort((a, b) => a - b);
    // This server shares the crawler's thread, so its clock can lag under load: check the rate over
    // one-second windows, which that lag cannot fake.
    expect(times.length).toBeGreaterThan(20);
    for (const [i, t] of times.entries()) {
      const inWindow = times.slice(i).filter((u) => u < t + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(Math.floor(1000 / CRAWL_DELAY_MS) + 1);
    }
  });

  it('skips what robots.txt disallows for our token, without requesting it', () => {
    expect(outcome('/private/secret.html')).toBe('disallowed_robots');
    expect(hitsOf('/private/secret.html')).toHaveLength(0);
  });

  it('follows redirects as new frontier entries and stops a redirect chain at max_redirects', () => {
    expect(outcome('/redirect')).toBe('redirect');
    expect(outcome('/target.html')).toBe('fetched');
    expect(outcome('/loop/3')).toBe('too_many_redirects');
    expect(hitsOf('/loop/4')).toHaveLength(0);
  });

  it('refuses a redirect to 127.0.0.2, which the allow-list does not admit, without connecting', () => {
    expect(outcome('/page.html', () => other)).toBe('refused_address');
    expect(other.connections).toBe(0);
    expect(other.hits).toHaveLength(0);
  });

  it('retries a 429 after the Retry-After it gave, then collects the page', () => {
    const hits = hitsOf('/busy.html');
    expect(hits).toHaveLength(2);
    expect(hits[1]!.at - hits[0]!.at).toBeGreaterThanOrEqual(995);
    expect(outcome('/busy.html')).toBe('fetched');
  });

  it('gives up on a host that is too slow, after its retries', () => {
    expect(outcome('/slow.html', () => slow)).toBe('network_error');
    expect(slow.hits.filter((h) => h.path === '/slow.html')).toHaveLength(2);
  });

  it('refuses bodies over max_body_bytes, declared or streamed, and content types off the allow-list', () => {
    expect(outcome('/huge.html')).toBe('too_large');
    expect(outcome('/huge-chunked.html')).toBe('too_large');
    expect(hitsOf('/huge-chunked.html')[0]!.completed).toBe(false);
    expect(outcome('/image.png')).toBe('content_type_refused');
    expect(pages.map((p) => p.url)).not.toContain(`${main.origin}/image.png`);
  });

  it('normalises URLs (tracking parameters, fragments) and fetches one URL once', () => {
    expect(hitsOf('/dup.html?id=3')).toHaveLength(1);
    expect(main.hits.filter((h) => h.path.startsWith('/dup.html'))).toHaveLength(1);
    const counts = new Map<string, number>();
    for (const h of main.hits) counts.set(h.path, (counts.get(h.path) ?? 0) + 1);
    for (const [path, n] of counts) if (path !== '/busy.html') expect([path, n]).toEqual([path, 1]);
  });

  it('treats a page whose canonical is another page as that page: the canonical is not fetched again', () => {
    const a = outcome('/canonical-a.html');
    const b = outcome('/canonical-b.html');
    expect([a, b].filter((x) => x === 'fetched')).toHaveLength(1);
    expect(hitsOf('/canonical-a.html').length + hitsOf('/canonical-b.html').length).toBeLessThanOrEqual(2);
    expect(pages.filter((p) => p.url.includes('canonical-')).length).toBe(1);
  });

  it('keeps to max_depth and finds pages through sitemaps (gzip) and RSS feeds', () => {
    expect(outcome('/b.html')).toBe('fetched');
    expect(hitsOf('/c.html')).toHaveLength(0);
    expect(outcome('/from-sitemap.html')).toBe('fetched');
    expect(outcome('/from-feed.html')).toBe('fetched');
    expect(done.some((d) => d.url.startsWith('https://example.org'))).toBe(false);
  });

  it('TDMRep: a file-reserved page is not read past its head, and its decision is recorded with evidence', () => {
    const rec = done.find((d) => d.url === `${main.origin}/reserved-file/a.html`)!;
    expect(rec.outcome).toBe('reserved');
    expect(hitsOf('/reserved-file/a.html')[0]!.completed).toBe(false);
    const tdm = rec.tdm as { reservation: number; policy: string; evidence: { from: string }[] };
    expect(tdm.reservation).toBe(1);
    expect(tdm.policy).toBe('https://policies.invalid/p.json');
    expect(tdm.evidence.map((e) => e.from)).toEqual(['file']);
  });

  it('TDMRep: the header overrides the file, and meta overrides both', () => {
    expect(outcome('/reserved-file/header-lifted.html')).toBe('fetched');
    expect(outcome('/reserved-file/meta-lifted.html')).toBe('fetched');
    const header = done.find((d) => d.url.endsWith('/header-reserved.html'))!;
    expect(header.outcome).toBe('reserved');
    expect((header.tdm as { evidence: { from: string }[] }).evidence.map((e) => e.from)).toEqual(['header']);
    expect(hitsOf('/header-reserved.html')[0]!.completed).toBe(false);
    const meta = done.find((d) => d.url.endsWith('/meta-reserved.html'))!;
    expect(meta.outcome).toBe('reserved');
    expect((meta.tdm as { policy: string }).policy).toBe('https://policies.invalid/m.json');
  });

  it('TDMRep: an invalid header value is a protocol error and leaves the earlier decision', () => {
    const rec = done.find((d) => d.url.endsWith('/header-invalid.html'))!;
    expect(rec.outcome).toBe('fetched');
    const tdm = rec.tdm as { reservation: number; evidence: { from: string; note?: string }[] };
    expect(tdm.reservation).toBe(0);
    expect(tdm.evidence[1]!.note).toMatch(/protocol error/);
  });

  it('collects no reserved content: no page, no WARC response record', async () => {
    const reserved = done.filter((d) => d.outcome === 'reserved').map((d) => d.url);
    expect(reserved).toHaveLength(3);
    for (const url of reserved) expect(pages.map((p) => p.url)).not.toContain(url);
    const records = await readWarc(dir);
    const responses = records.filter((r) => r.type === 'response').map((r) => r.uri);
    for (const url of reserved) expect(responses).not.toContain(url);
    expect(records.filter((r) => r.type === 'metadata' && reserved.includes(r.uri))).toHaveLength(3);
  });

  it('archives every collected page as WARC request/response/metadata records that warcio reads back', async () => {
    const records = await readWarc(dir);
    expect(records[0]!.type).toBe('warcinfo');
    const responses = records.filter((r) => r.type === 'response');
    expect(responses.map((r) => r.uri).sort()).toEqual(pages.map((p) => p.url).sort());
    for (const p of pages) {
      const rec = responses.find((r) => r.uri === p.url)!;
      expect(rec.status).toBe(200);
      expect(Buffer.from(rec.payload).equals(Buffer.from(p.body))).toBe(true);
      expect(records.some((r) => r.type === 'request' && r.uri === p.url)).toBe(true);
    }
  });
});
