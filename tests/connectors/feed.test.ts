import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { haveSamples, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { feedConnector } from '../../src/connectors/feed/index.js';
import type { Connector } from '../../src/connectors/connector.js';

const connector = feedConnector as unknown as Connector;

describe.skipIf(!haveSamples())('feed connector on the recorded RSS and Atom feeds', () => {
  it('lists RSS items with links, titles and every pubDate variant read as UTC', async () => {
    const server = await localServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      res.end(readFileSync(sample('rss', 'crawler-commons__xmlRss_pubDate.xml')));
    });
    const t = testContext();
    const docs = await readAll(connector, { id: 'rss', options: { url: `${server.url}/rss.xml` } }, t.ctx);
    await Promise.all([t.close(), server.close()]);
    expect(docs.map((d) => [d.url, d.title, d.date_published])).toEqual([
      ['http://www.example.com/article_1', 'News number 1', '2017-01-05T12:34:51Z'],
      ['http://www.example.com/article_2', 'News number 2', '2017-01-05T12:34:52Z'],
      ['http://www.example.com/article_3', 'News number 3', '2017-01-05T12:34:53Z'],
      ['http://www.example.com/article_4', 'News number 4', '2017-01-05T12:34:54Z'],
      ['http://www.example.com/article_5', 'News number 5 incomplete pub date', '2017-01-05T13:34:55Z'],
      ['http://www.example.com/article_6', 'News number 6 empty pub date', null],
      ['http://www.example.com/article_7', 'News number 7 missing pub date', null],
    ]);
    expect(docs[0]!.id).toBe('rss/http://www.example.com/article_1');
  });

  it('keeps only entries since the last run, and undated ones', async () => {
    const t = testContext();
    const docs = await readAll(connector, { id: 'rss', options: { path: 'crawler-commons__xmlRss_pubDate.xml', since: '2017-01-05T12:34:53Z' } }, t.ctx, sample('rss'));
    await t.close();
    expect(docs.map((d) => d.url!.slice(-9))).toEqual(['article_3', 'article_4', 'article_5', 'article_6', 'article_7']);
  });

  it('reads the RSS feed with a comment before <rss>, and an Atom feed with its alternate link and summary', async () => {
    const t = testContext();
    const rss = await readAll(connector, { id: 'f', options: { path: 'crawler-commons__feed.rss' } }, t.ctx, sample('rss'));
    expect(rss.length).toBeGreaterThan(0);
    expect(rss.every((d) => d.url!.startsWith('http'))).toBe(true);
    const atom = await readAll(connector, { id: 'a', options: { path: 'crawler-commons__sitemaps__atom.xml' } }, t.ctx, sample('sitemaps-robots'));
    await t.close();
    expect(atom.map((d) => [d.url, d.title, d.date_published, d.text])).toEqual([
      ['http://example.org/2003/12/13/atom03', 'Atom-Powered Robots Run Amok', '2003-12-13T18:30:02Z', 'Some text.'],
    ]);
  });

  it('rejects a document that is not a feed', async () => {
    const t = testContext();
    const docs = await readAll(connector, { id: 'x', options: { path: 'sickle__ListRecordsBroken.xml' } }, t.ctx, sample('oai-pmh'));
    await t.close();
    expect(docs).toEqual([]);
    expect(t.rejects.map((r) => r.reason)).toEqual(['feed.malformed']);
  });
});
