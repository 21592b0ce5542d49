import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { haveSamples, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { datagouvConnector } from '../../src/connectors/datagouv/index.js';
import type { Connector } from '../../src/connectors/connector.js';

const connector = datagouvConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/**
 * A udata API on 127.0.0.1. The dataset is the recorded v1 answer; the listing envelope around it
 * ({data, page, next_page, total}) is udata's, built here because no recorded listing of datasets
 * exists. Resource URLs are pointed at this server, which answers with text we wrote.
 */
async function udataServer(pages: ((base: string) => unknown)[]) {
  const server = await localServer((_req, res, url) => {
    if (url.pathname === '/api/1/datasets/') {
      const n = Number(url.searchParams.get('page') ?? '1');
      const body = pages[n - 1]?.(`http://127.0.0.1:${(res.socket!.localPort)}`);
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
      return res.end(typeof body === 'string' ? body : JSON.stringify(body ?? { message: 'not found' }));
    }
    if (url.pathname.startsWith('/static/')) {
      res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
      return res.end('mot;fréquence\nbonjour;12\n');
    }
    res.writeHead(404).end();
  });
  closers.push(server.close);
  return server;
}

const recorded = () => JSON.parse(readFileSync(sample('datagouv-api', 'datagouv_client__dataset_metadata.json'), 'utf8'));
const localResources = (d: { resources: { url: string }[] }, base: string) => ({
  ...d,
  resources: d.resources.map((r) => ({ ...r, url: r.url.replace('https://static.data.gouv.fr/', `${base}/static/`) })),
});

describe.skipIf(!haveSamples())('datagouv connector on the recorded udata dataset', () => {
  it('pages through the listing, emits the French description with its mapped licence, and sends the selection', async () => {
    const server = await udataServer([
      (base) => ({ data: [recorded()], page: 1, page_size: 1, total: 2, next_page: `${base}/api/1/datasets/?license=lov2&page=2` }),
      () => ({ data: [{ ...recorded(), id: 'second', license: 'notspecified' }], page: 2, page_size: 1, total: 2, next_page: null }),
    ]);
    const t = testContext();
    const docs = await readAll(connector, { id: 'datagouv', options: { api_base: `${server.url}/api/1`, license: 'lov2', organization: 'data-gouv-fr', tag: 'catalogue', page_size: 1 } }, t.ctx);
    await t.close();
    const first = new URL(server.requests[0]!, server.url).searchParams;
    expect(Object.fromEntries(first)).toEqual({ license: 'lov2', organization: 'data-gouv-fr', tag: 'catalogue', page_size: '1', page: '1' });
    expect(server.requests[1]).toContain('page=2');
    expect(docs).toHaveLength(1);
    const d = docs[0]!;
    expect(d.id).toBe('datagouv/dataset/5d13a8b6634f41070a43dff3');
    expect(d.title).toBe('Catalogue des données de data.gouv.fr');
    expect(d.text).toMatch(/^La plateforme data\.gouv\.fr est le portail unique interministériel/);
    expect(d.license).toBe('etalab-2.0');
    expect(d.license_evidence).toBe('https://www.data.gouv.fr/fr/datasets/catalogue-des-donnees-de-data-gouv-fr/ udata license: "lov2"');
    expect(d.attribution).toBe('data.gouv.fr');
    expect(d.url).toBe('https://www.data.gouv.fr/fr/datasets/catalogue-des-donnees-de-data-gouv-fr/');
    expect(d.metadata).toMatchObject({ organization: { name: 'data.gouv.fr' }, udata_license: 'lov2' });
    // notspecified names no licence: refused, with the raw value.
    expect(t.rejects.map((r) => [r.reason, r.doc.id, r.detail])).toEqual([
      ['datagouv.refused_license', 'datagouv/dataset/second', { license: 'notspecified', why: 'udata "notspecified" names no licence text' }],
    ]);
  });

  it('reads text-like resources within the size limit and rejects the others with the reason', async () => {
    const server = await udataServer([(base) => ({ data: [localResources(recorded(), base)], next_page: null })]);
    const t = testContext();
    const docs = await readAll(connector, { id: 'dg', options: { api_base: `${server.url}/api/1`, resource_formats: ['csv'], max_resource_bytes: 2_000_000 } }, t.ctx);
    await t.close();
    const resources = docs.filter((d) => d.id.includes('/resource/'));
    expect(resources.map((d) => d.title)).toEqual([
      'export-dataservice-20250407-061526.csv',
      'export-harvest-20250407-061530.csv',
      'export-tag-20250407-061529.csv',
    ]);
    expect(resources[0]!.text).toBe('mot;fréquence\nbonjour;12\n');
    expect(resources[0]!.license).toBe('etalab-2.0');
    expect(t.rejects.filter((r) => r.reason === 'datagouv.resource_too_large')).toHaveLength(5);
    expect(server.requests.filter((r) => r.startsWith('/static/'))).toHaveLength(3);
  });

  it('refuses a next_page on another host', async () => {
    const server = await udataServer([() => ({ data: [], next_page: 'https://www.data.gouv.fr/api/1/datasets/?page=2' })]);
    const t = testContext();
    await expect(readAll(connector, { id: 'dg', options: { api_base: `${server.url}/api/1` } }, t.ctx)).rejects.toThrow(/is not on http:\/\/127\.0\.0\.1/);
    await t.close();
  });

  it('rejects a malformed dataset and a listing that is not JSON, without crashing', async () => {
    const server = await udataServer([
      (base) => ({ data: [{ id: 7 }, recorded()], next_page: `${base}/api/1/datasets/?page=2` }),
      () => '<html>Erreur interne</html>',
    ]);
    const t = testContext();
    const docs = await readAll(connector, { id: 'dg', options: { api_base: `${server.url}/api/1`, resources: false } }, t.ctx);
    await t.close();
    expect(docs).toHaveLength(1);
    expect(t.rejects.map((r) => r.reason)).toEqual(['datagouv.malformed_dataset', 'datagouv.malformed_listing']);
  });
});
