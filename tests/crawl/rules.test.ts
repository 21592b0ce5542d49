import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createServer } from 'node:net';
import { AddressGuard } from '../../src/crawl/address-guard.js';
import { Fetcher, isFailure } from '../../src/crawl/fetcher.js';
import { decideFromFile, parseTdmFile, supersede, tdmMeta } from '../../src/crawl/tdmrep.js';
import { normalizeUrl } from '../../src/crawl/url.js';
import { robotsAllows, robotsPolicy } from '../../src/crawl/robots.js';
import { backoffMs, retryAfterMs } from '../../src/crawl/politeness.js';

const file = (rules: unknown) => parseTdmFile('http://h/.well-known/tdmrep.json', 200, Buffer.from(JSON.stringify(rules)));

describe('TDMRep rules', () => {
  it('uses the first matching rule, with * wildcards and a $ end anchor, case-sensitively', () => {
    const f = file([
      { location: '/images/*.jpg$', 'tdm-reservation': 0 },
      { location: '/images/', 'tdm-reservation': 1, 'tdm-policy': 'https://p/x.json' },
      { location: '/', 'tdm-reservation': 0 },
    ]);
    expect(decideFromFile(f, 'http://h/images/a/b.jpg').reservation).toBe(0);
    expect(decideFromFile(f, 'http://h/images/a/b.jpg?x=1').reservation).toBe(1);
    expect(decideFromFile(f, 'http://h/images/b.png')).toMatchObject({ reservation: 1, policy: 'https://p/x.json' });
    expect(decideFromFile(f, 'http://h/IMAGES/b.png').reservation).toBe(0);
  });

  it('decodes percent-escapes of unreserved characters only before comparing', () => {
    const f = file([{ location: '/caf%65/', 'tdm-reservation': 1 }, { location: '/a%2Fb', 'tdm-reservation': 1 }]);
    expect(decideFromFile(f, 'http://h/cafe/menu').reservation).toBe(1);
    expect(decideFromFile(f, 'http://h/a/b').reservation).toBe(null);
    expect(decideFromFile(f, 'http://h/a%2fb').reservation).toBe(1);
  });

  it('treats no match, a missing file, bad JSON and invalid values as unset', () => {
    expect(decideFromFile(file([{ location: '/x/', 'tdm-reservation': 1 }]), 'http://h/y').reservation).toBe(null);
    expect(decideFromFile(parseTdmFile('u', 404, null), 'http://h/').reservation).toBe(null);
    expect(parseTdmFile('u', 200, Buffer.from('{oops'))).toMatchObject({ kind: 'none' });
    expect(decideFromFile(file([{ location: '/', 'tdm-reservation': 2 }]), 'http://h/').reservation).toBe(null);
  });

  it('lets a valid header override the file and meta override the header; tdm-policy only with 1', () => {
    const fromFile = decideFromFile(file([{ location: '/', 'tdm-reservation': 1 }]), 'http://h/p');
    const header = supersede(fromFile, 'header', '0', 'https://ignored');
    expect(header).toMatchObject({ reservation: 0, policy: null });
    const meta = supersede(header, 'meta', '1', 'https://p/m.json');
    expect(meta).toMatchObject({ reservation: 1, policy: 'https://p/m.json' });
    expect(meta.evidence.map((e) => e.from)).toEqual(['file', 'header', 'meta']);
    expect(tdmMeta('<meta content="1" NAME="tdm-reservation"><meta name=tdm-policy content=https://p>')).toEqual({ reservation: '1', policy: 'https://p' });
  });
});

describe('robots.txt status handling (RFC 9309)', () => {
  const ok = (body: string) => ({ kind: 'response' as const, status: 200, body: Buffer.from(body), url: 'http://h/robots.txt' });
  it('fails closed on 5xx, 429 and unreachable; allows all on 4xx', () => {
    expect(robotsPolicy('http://h/robots.txt', { kind: 'response', status: 503, body: Buffer.alloc(0), url: 'u' }, 'villers-bot').kind).toBe('disallow_all');
    expect(robotsPolicy('http://h/robots.txt', { kind: 'response', status: 429, body: Buffer.alloc(0), url: 'u' }, 'villers-bot').kind).toBe('disallow_all');
    expect(robotsPolicy('http://h/robots.txt', { kind: 'unreachable', error: 'ECONNREFUSED' }, 'villers-bot').kind).toBe('disallow_all');
    expect(robotsPolicy('http://h/robots.txt', { kind: 'response', status: 404, body: Buffer.alloc(0), url: 'u' }, 'villers-bot').kind).toBe('allow_all');
  });
  it('matches our product token, longest rule wins, and reads Crawl-delay', () => {
    const p = robotsPolicy('http://h/robots.txt', ok('User-agent: *\nDisallow: /\n\nUser-agent: villers-bot\nDisallow: /a/\nAllow: /a/b\nCrawl-delay: 2\n'), 'villers-bot');
    expect(robotsAllows(p, 'http://h/x')).toBe(true);
    expect(robotsAllows(p, 'http://h/a/c')).toBe(false);
    expect(robotsAllows(p, 'http://h/a/b')).toBe(true);
    expect(p.kind === 'rules' && p.crawlDelayS).toBe(2);
  });
});

describe('URL normalisation', () => {
  it('lower-cases the host, drops default ports, fragments and tracking parameters', () => {
    expect(normalizeUrl('HTTP://Exemple.FR:80/a/./b/../c?utm_source=x&id=2&fbclid=y#top')).toBe('http://exemple.fr/a/c?id=2');
    expect(normalizeUrl('https://h:443/?')).toBe('https://h/');
    expect(normalizeUrl('mailto:a@b')).toBeNull();
    expect(normalizeUrl('/rel', 'http://h/dir/')).toBe('http://h/rel');
  });
  it('is idempotent', () => {
    fc.assert(fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (u) => {
      const once = normalizeUrl(u);
      return once === null || normalizeUrl(once) === once;
    }));
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or a date, and backs off exponentially within [½, 1] of each step', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString())).toBeGreaterThan(3000);
    expect(retryAfterMs('soon')).toBeNull();
    expect(backoffMs(0, 1000, () => 0)).toBe(500);
    expect(backoffMs(3, 1000, () => 1)).toBe(8000);
  });
});

describe('address guard', () => {
  it('refuses private, link-local and unlisted loopback addresses; admits what allow_addresses lists', () => {
    const g = new AddressGuard({ allow: ['127.0.0.1'] });
    expect(g.refusal('127.0.0.1')).toBeNull();
    for (const a of ['127.0.0.2', '10.1.2.3', '192.168.1.1', '172.20.0.1', '169.254.169.254', '::1', 'fe80::1', '::ffff:10.0.0.1']) expect([a, g.refusal(a)]).not.toEqual([a, null]);
  });

  it('under tests, public addresses are refused too and host names are never resolved', async () => {
    const g = new AddressGuard({ allow: [] });
    expect(g.refusal('93.184.216.34')).toMatch(/confined/);
    await expect(g.resolve('example.org')).rejects.toThrow(/not resolved/);
    expect(() => new AddressGuard({ allow: [], confine: ['0.0.0.0/0'] })).toThrow(/127\.0\.0\.0\/8/);
  });

  it('is enforced in the HTTP connector: a refused address gets no connection at all', async () => {
    let connections = 0;
    const server = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.2', r));
    const port = (server.address() as { port: number }).port;
    const fetcher = new Fetcher(new AddressGuard({ allow: ['127.0.0.1'] }), { userAgent: 't', timeoutMs: 2000 });
    const r = await fetcher.fetch({ url: `http://127.0.0.2:${port}/`, maxBytes: 100 });
    await fetcher.close();
    server.close();
    expect(isFailure(r) && r.refused).toBe(true);
    expect(connections).toBe(0);
  });
});
