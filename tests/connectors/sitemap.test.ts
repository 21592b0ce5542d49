import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { haveSamples, repoRoot, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { sitemapConnector } from '../../src/connectors/sitemap/index.js';
import type { Connector } from '../../src/connectors/connector.js';

const connector = sitemapConnector as unknown as Connector;
const sm = (name: string) => sample('sitemaps-robots', `crawler-commons__sitemaps__${name}`);
const urls = async (path: string, extra: Record<string, unknown> = {}) => {
  const t = testContext();
  const docs = await readAll(connector, { id: 's', options: { path, ...extra } }, t.ctx, sample('sitemaps-robots'));
  await t.close();
  return { docs, rejects: t.rejects };
};

describe.skipIf(!haveSamples())('sitemap connector on the recorded sitemaps', () => {
  it('reads a gzipped XML sitemap with its lastmod dates', async () => {
    const { docs } = await urls('crawler-commons__sitemaps__xmlSitemap.gz');
    expect(docs.map((d) => [d.url, d.date_published])).toEqual([
      ['http://www.example.com/', '2005-01-01'],
      ['http://www.example.com/catalog?item=12&desc=vacation_hawaii', null],
      ['http://www.example.com/catalog?item=73&desc=vacation_new_zealand', '2004-12-23'],
      ['http://www.example.com/catalog?item=74&desc=vacation_newfoundland', '2004-12-23T18:00:15Z'],
      ['http://www.example.com/catalog?item=83&desc=vacation_usa', '2004-11-23'],
    ]);
    expect(docs[0]!.metadata).toMatchObject({ changefreq: 'monthly', priority: 0.8, kind: 'page' });
  });

  it('reads prefixed namespaces, a wrong namespace with white space inside <loc>, text sitemaps (plain, gzip, BOM)', async () => {
    expect((await urls('crawler-commons__sitemaps__sitemap.ns.xml')).docs.map((d) => d.url)).toEqual(['http://www.example.com/1', 'http://www.example.com/2']);
    expect((await urls('crawler-commons__sitemaps__sitemap.badns.xml')).docs.map((d) => [d.url, d.metadata.changefreq])).toEqual([
      ['http://www.example.com/1', 'daily'],
      ['http://www.example.com/2', 'daily'],
    ]);
    const text = ['http://www.domain.com/page1.html', 'http://www.domain.com/page2.html'];
    expect((await urls('crawler-commons__sitemaps__sitemap.txt')).docs.map((d) => d.url)).toEqual(text);
    expect((await urls('crawler-commons__sitemaps__sitemap.txt.gz')).docs.map((d) => d.url)).toEqual([
      'http://www.example.com/',
      'http://www.example.com/catalog?item=12&desc=vacation_hawaii',
      'http://www.example.com/catalog?item=73&desc=vacation_new_zealand',
      'http://www.example.com/catalog?item=74&desc=vacation_newfoundland',
      'http://www.example.com/catalog?item=83&desc=vacation_usa',
    ]);
    expect((await urls('crawler-commons__sitemaps__sitemap-with-bom.txt')).docs.map((d) => d.url)[0]).toMatch(/^http:\/\/www\./);
  });

  it('reads the news extension: title, publication, language and date', async () => {
    const { docs } = await urls('crawler-commons__sitemaps__extension__sitemap-news.xml');
    expect(docs[0]).toMatchObject({ url: 'http://www.example.org/business/article55.html', title: 'Companies A, B in Merger Talks', date_published: '2008-12-23' });
    expect(docs[0]!.metadata.news).toEqual({ title: 'Companies A, B in Merger Talks', publication_date: '2008-12-23', publication: 'The Example Times', language: 'en' });
  });

  it('reads a real newspaper sitemap with mixed line endings, and filters by date for incremental runs', async () => {
    const all = (await urls('crawler-commons__sitemaps__extension__hebdenbridgetimes-articles-sitemap.xml')).docs;
    expect(all).toHaveLength(74);
    expect(all[0]).toMatchObject({ url: 'http://www.hebdenbridgetimes.co.uk/news/local/video-tour-de-yorkshire-in-calderdale-1-7242580', date_published: '2015-05-03T17:51:50Z' });
    const recent = (await urls('crawler-commons__sitemaps__extension__hebdenbridgetimes-articles-sitemap.xml', { since: '2015-05-01T00:00:00Z' })).docs;
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.length).toBeLessThan(all.length);
    expect(recent.every((d) => !d.date_published || d.date_published >= '2015-05-01')).toBe(true);
  });

  it('lists the entries of an index whose URLs are bare text (a local index is not followed)', async () => {
    const { docs } = await urls('crawler-commons__sitemaps__sitemap.index.xml');
    expect(docs).toHaveLength(15);
    expect(docs[0]).toMatchObject({ url: 'https://example.com/sitemap.jss?portalCode=10260&lang=en', metadata: { kind: 'sitemap' } });
  });

  it('follows an index over HTTP to its same-origin sitemaps only', async () => {
    const server = await localServer((_req, res, url) => {
      const files: Record<string, string> = {
        '/index.xml': join(repoRoot, 'tests/connectors/fixtures/sitemap/index-local.xml'),
        '/news.xml': sm('extension__sitemap-news.xml'),
        '/plain.xml.gz': sm('xmlSitemap.gz'),
        '/pages.txt': sm('sitemap.txt'),
      };
      const file = files[url.pathname];
      if (!file) return void res.writeHead(404).end();
      res.writeHead(200);
      const origin = `http://127.0.0.1:${res.socket!.localPort}`;
      res.end(url.pathname === '/index.xml' ? readFileSync(file, 'utf8').replaceAll('ORIGIN', origin) : readFileSync(file));
    });
    const t = testContext();
    const docs = await readAll(connector, { id: 's', options: { url: `${server.url}/index.xml` } }, t.ctx);
    await Promise.all([t.close(), server.close()]);
    expect(server.requests).toEqual(['/index.xml', '/news.xml', '/plain.xml.gz', '/pages.txt']);
    expect(docs.filter((d) => d.metadata.kind === 'page')).toHaveLength(2 + 5 + 2);
    // The other-origin sitemap is listed, not fetched.
    expect(docs.filter((d) => d.metadata.kind === 'sitemap').map((d) => d.url)).toEqual(['https://other.example/sitemap.xml']);
  });
});
