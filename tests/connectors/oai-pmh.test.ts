import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { haveSamples, repoRoot, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { identify, listSets, oaiPmhConnector } from '../../src/connectors/oai-pmh/index.js';
import { HttpOptions } from '../../src/connectors/io/http.js';
import { DEFAULT_XML_LIMITS } from '../../src/connectors/io/xml-records.js';
import { silentLogger } from '../../src/pipeline/log.js';
import type { Connector } from '../../src/connectors/connector.js';

const oai = (name: string) => sample('oai-pmh', `sickle__${name}`);
const connector = oaiPmhConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

function sendFile(res: ServerResponse, path: string, status = 200) {
  res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' });
  res.end(readFileSync(path));
}

/** The sickle recordings as a repository: tokens are the next page's file name. */
async function sickleServer(hooks: { listRecords?: (res: ServerResponse, url: URL) => boolean } = {}) {
  const server = await localServer((_req, res, url) => {
    const verb = url.searchParams.get('verb');
    if (verb === 'Identify') return sendFile(res, oai('Identify.xml'));
    if (verb === 'ListSets') return sendFile(res, oai('ListSets.xml'));
    if (verb !== 'ListRecords') return sendFile(res, oai('badResumptionToken.xml'));
    if (hooks.listRecords?.(res, url)) return;
    const token = url.searchParams.get('resumptionToken');
    if (token === null) return sendFile(res, oai('ListRecords.xml'));
    if (/^ListRecords[234]\.xml$/.test(token)) return sendFile(res, oai(token));
    return sendFile(res, oai('badResumptionToken.xml'));
  });
  closers.push(server.close);
  return server;
}

const source = (base: string, options: Record<string, unknown> = {}) => ({
  id: 'sickle',
  license: 'CC0-1.0',
  license_evidence: 'test declaration: the sickle records carry no dc:rights',
  options: { base_url: `${base}/oai`, ...options },
});

describe.skipIf(!haveSamples())('oai-pmh connector on the recorded sickle responses', () => {
  it('follows the 4-page resumptionToken chain, ends after page 4, and reports deleted records as takedowns', async () => {
    const server = await sickleServer();
    const t = testContext();
    const docs = await readAll(connector, source(server.url), t.ctx);
    await t.close();
    const listRecords = server.requests.filter((r) => r.includes('verb=ListRecords'));
    expect(listRecords).toHaveLength(4);
    expect(listRecords[0]).toContain('metadataPrefix=oai_dc');
    expect(listRecords.slice(1).map((r) => new URL(r, server.url).searchParams.get('resumptionToken'))).toEqual([
      'ListRecords2.xml',
      'ListRecords3.xml',
      'ListRecords4.xml',
    ]);
    expect(docs).toHaveLength(4);
    const doc = docs[0]!;
    expect(doc.id).toBe('sickle/oai:test.example.com:1585322');
    expect(doc.title).toBe('Sample Title');
    expect(doc.text).toMatch(/^Lorem ipsum dolor sit amet, consectetur adipisicing elit, sed do eiusmod tempor/);
    expect(doc.url).toBe('http://test.example.com/publication/1585322');
    expect(doc.date_published).toBe('2010');
    expect(doc.attribution).toBe('John Doe; John Doe; John Doe; John Doe');
    expect(doc.license).toBe('CC0-1.0');
    expect(doc.metadata).toMatchObject({ datestamp: '2011-01-10T10:19:23Z', publishers: ['Sample Publisher'], languages: ['eng'], types: ['info:eu-repo/semantics/article', 'doc-type:article', 'text'] });
    const takedowns = t.rejects.filter((r) => r.reason === 'oai-pmh.takedown');
    expect(takedowns).toHaveLength(4);
    expect(takedowns[0]!.detail).toMatchObject({ takedown: true, oai_identifier: 'oai:test.example.com:1585310', datestamp: '2011-07-18T16:31:00Z' });
    // Page 4's deleted record has no identifier: still reported, marked as unmatchable.
    expect(takedowns[3]!.detail).toMatchObject({ takedown: true, oai_identifier: '', identifiable: false });
    expect(t.stats.stage('oai-pmh').rejected).toEqual({ 'oai-pmh.takedown': 4 });
  });

  it('reads Identify and every set from ListSets', async () => {
    const server = await sickleServer();
    const client = { baseUrl: `${server.url}/oai`, http: HttpOptions.parse({}), limits: DEFAULT_XML_LIMITS, log: silentLogger };
    const info = await identify(client);
    expect(info).toMatchObject({ repositoryName: 'A Test Repository', granularity: 'YYYY-MM-DD', deletedRecord: 'persistent', protocolVersion: '2.0' });
    const sets = await listSets(client);
    expect(sets).toHaveLength(131);
    expect(sets[0]).toEqual({ setSpec: 'bi', setName: 'All BI publications (already published)' });
  });

  it('sends set, from and until on the first request, and refuses a set the repository lacks', async () => {
    const server = await sickleServer();
    const t = testContext();
    await readAll(connector, source(server.url, { set: 'bookFtxt', from: '2011-01-01', until: '2012-12-31' }), t.ctx);
    const first = new URL(server.requests.find((r) => r.includes('verb=ListRecords'))!, server.url).searchParams;
    expect(Object.fromEntries(first)).toEqual({ verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'bookFtxt', from: '2011-01-01', until: '2012-12-31' });
    await expect(readAll(connector, source(server.url, { set: 'no-such-set' }), t.ctx)).rejects.toThrow(/set "no-such-set" is not among the 131 sets/);
    await t.close();
  });

  it('starts the next run where the last completed harvest started (incremental), at the repository granularity', async () => {
    const server = await sickleServer();
    const dir = mkdtempSync(join(tmpdir(), 'oai-'));
    const t = testContext();
    await readAll(connector, source(server.url, { checkpoint: 'cp.json' }), t.ctx, dir);
    const cp = JSON.parse(await readFile(join(dir, 'cp.json'), 'utf8'));
    expect(cp).toMatchObject({ done: true, records: 8, takedowns: 4, page: 4, started_at: '2013-02-27T09:10:56Z' });
    server.requests.length = 0;
    await readAll(connector, source(server.url, { checkpoint: 'cp.json' }), t.ctx, dir);
    const first = new URL(server.requests.find((r) => r.includes('verb=ListRecords'))!, server.url).searchParams;
    expect(first.get('from')).toBe('2013-02-27');
    await t.close();
  });

  it('treats noRecordsMatch as an empty list', async () => {
    const server = await sickleServer({ listRecords: (res) => (sendFile(res, oai('noRecordsMatch.xml')), true) });
    const t = testContext();
    expect(await readAll(connector, source(server.url), t.ctx)).toEqual([]);
    expect(t.rejects).toEqual([]);
    await t.close();
  });

  it('explains a badResumptionToken met when resuming from a stale checkpoint', async () => {
    const server = await sickleServer();
    const dir = mkdtempSync(join(tmpdir(), 'oai-'));
    const harvest = { base_url: `${server.url}/oai`, metadata_prefix: 'oai_dc', set: null, until: null };
    writeFileSync(join(dir, 'cp.json'), JSON.stringify({ version: 1, harvest, from: null, token: 'expired', page: 2, taken: 0, records: 2, takedowns: 1, started_at: null, done: false }));
    const t = testContext();
    await expect(readAll(connector, source(server.url, { checkpoint: 'cp.json' }), t.ctx, dir)).rejects.toThrow(/badResumptionToken.*delete it and harvest again/);
    await t.close();
  });

  it('waits as long as a 503 Retry-After asks, then carries on', async () => {
    let refused = 0;
    const server = await sickleServer({
      listRecords: (res, url) => {
        if (url.searchParams.get('resumptionToken') !== 'ListRecords3.xml' || refused++ > 0) return false;
        res.writeHead(503, { 'retry-after': '1' });
        res.end('busy');
        return true;
      },
    });
    const t = testContext();
    const started = Date.now();
    const docs = await readAll(connector, source(server.url), t.ctx);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(docs).toHaveLength(4);
    expect(server.requests.filter((r) => r.includes('ListRecords3.xml'))).toHaveLength(2);
    await t.close();
  });

  it('fails with a clear reason when Retry-After is beyond the configured limit', async () => {
    const server = await sickleServer({ listRecords: (res) => (res.writeHead(503, { 'retry-after': '7200' }), res.end(), true) });
    const t = testContext();
    await expect(readAll(connector, source(server.url), t.ctx)).rejects.toThrow(/retry after 7200s \(limit 3600s\)/);
    await t.close();
  });

  it('rejects a page that is not XML without crashing, keeping the checkpoint on it', async () => {
    const server = await sickleServer({
      listRecords: (res, url) => (url.searchParams.get('resumptionToken') === 'ListRecords2.xml' ? (sendFile(res, oai('ListRecordsBroken.xml')), true) : false),
    });
    const dir = mkdtempSync(join(tmpdir(), 'oai-'));
    const t = testContext();
    const docs = await readAll(connector, source(server.url, { checkpoint: 'cp.json' }), t.ctx, dir);
    expect(docs).toHaveLength(1);
    expect(t.rejects.map((r) => r.reason)).toEqual(['oai-pmh.takedown', 'oai-pmh.malformed']);
    expect(t.rejects[1]!.detail).toMatchObject({ page: 2 });
    expect(JSON.parse(readFileSync(join(dir, 'cp.json'), 'utf8'))).toMatchObject({ done: false, page: 2, token: 'ListRecords2.xml', taken: 0 });
    await t.close();
  });

  it('resumes an in-process harvest abandoned while it waits on the network, from its checkpoint', async () => {
    let stallOnce = true;
    const server = await sickleServer({
      // The first request for page 3 never gets an answer: the harvest hangs there.
      listRecords: (res, url) => {
        if (url.searchParams.get('resumptionToken') !== 'ListRecords3.xml' || !stallOnce) return false;
        stallOnce = false;
        res.writeHead(200, { 'content-type': 'text/xml' });
        return true;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'oai-'));
    const abandon = new AbortController();
    const t = testContext(abandon.signal);
    const src = source(server.url, { checkpoint: 'cp.json' });
    const { SourceSchema } = await import('../../src/schema/source.js');
    const parsed = SourceSchema.parse({ name: 'x', connector: 'oai-pmh', ...src });
    const it = oaiPmhConnector.read(oaiPmhConnector.options.parse(parsed.options), { source: parsed, baseDir: dir }, t.ctx)[Symbol.asyncIterator]();
    const taken = [(await it.next()).value!.id, (await it.next()).value!.id];
    // The consumer has stored both and asks for more; the harvest is left hanging on page 3.
    const hanging = it.next().catch(() => null);
    for (let i = 0; i < 200 && !server.requests.some((r) => r.includes('ListRecords3.xml')); i++) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(readFileSync(join(dir, 'cp.json'), 'utf8'))).toMatchObject({ page: 3, token: 'ListRecords3.xml', taken: 0, records: 4 });
    const again = testContext();
    const rest = (await readAll(connector, src, again.ctx, dir)).map((d) => d.id);
    expect([...taken, ...rest]).toEqual(Array(4).fill('sickle/oai:test.example.com:1585322'));
    expect([...t.rejects, ...again.rejects].filter((r) => r.reason === 'oai-pmh.takedown')).toHaveLength(4);
    abandon.abort();
    await hanging;
    await Promise.all([t.close(), again.close()]);
  });

  it('resumes a harvest killed (SIGKILL) in the middle of a page without duplicating or losing a record', async () => {
    let stall = true;
    let stalled: () => void = () => {};
    const stalledNow = new Promise<void>((r) => (stalled = r));
    const server = await sickleServer({
      listRecords: (res, url) => {
        if (!stall || url.searchParams.get('resumptionToken') !== 'ListRecords2.xml') return false;
        // Page 2 arrives up to the end of its first record, then the server hangs.
        const bytes = readFileSync(oai('ListRecords2.xml'));
        const cut = bytes.indexOf('</record>') + '</record>'.length;
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.write(bytes.subarray(0, cut + 30));
        stalled();
        return true;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'oai-kill-'));
    const child = join(repoRoot, 'tests', 'connectors', 'oai-pmh-child.mjs');
    const run = (out: string) => spawn(process.execPath, [child, `${server.url}/oai`, join(dir, 'cp.json'), out], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = (p: ReturnType<typeof run>) => new Promise<number | null>((r) => p.on('exit', (code) => r(code)));
    const linesOf = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean) : []);

    const killed = run(join(dir, 'first.txt'));
    let stderr = '';
    killed.stderr!.on('data', (d) => (stderr += d));
    await stalledNow;
    // Page 1 (a takedown and a document) and page 2's first record (a takedown) are out.
    for (let i = 0; i < 800 && linesOf(join(dir, 'first.txt')).length < 3; i++) await new Promise((r) => setTimeout(r, 25));
    killed.kill('SIGKILL');
    await exited(killed);
    const first = linesOf(join(dir, 'first.txt'));
    expect(first, stderr).toHaveLength(3);
    expect(JSON.parse(readFileSync(join(dir, 'cp.json'), 'utf8'))).toMatchObject({ page: 2, taken: 1, done: false });

    stall = false;
    const resumed = run(join(dir, 'second.txt'));
    expect(await exited(resumed)).toBe(0);
    const second = linesOf(join(dir, 'second.txt'));
    expect(second.at(-1)).toBe('END');

    // What an uninterrupted harvest of the 4 pages hands out, in order.
    const expected = [
      'oai-pmh.takedown sickle/oai:test.example.com:1585310',
      'doc sickle/oai:test.example.com:1585322 Sample Title',
    ];
    const full = [...expected, ...expected, ...expected, 'oai-pmh.takedown sickle/unidentified', expected[1]!, 'END'];
    expect([...first, ...second]).toEqual(full);
  }, 60_000);
});

describe('oai-pmh connector on a French oai_dc page (hand-written fixture)', () => {
  it('maps dc:rights through the licence table and rejects an unknown licence with its raw value', async () => {
    const page = join(repoRoot, 'tests', 'connectors', 'fixtures', 'oai-pmh', 'hal-fr-page.xml');
    const server = await localServer((_req, res) => sendFile(res, page));
    closers.push(server.close);
    const t = testContext();
    const docs = await readAll(connector, { id: 'hal', options: { base_url: `${server.url}/oai`, identify: false } }, t.ctx);
    await t.close();
    expect(docs.map((d) => [d.id, d.license])).toEqual([
      ['hal/oai:villers.test:fr-0001', 'CC-BY-4.0'],
      ['hal/oai:villers.test:fr-0002', 'etalab-2.0'],
    ]);
    const [first] = docs;
    expect(first!.title).toBe('Les moulins à vent de la Beauce au XIXe siècle');
    expect(first!.text).toBe(
      "Cet article retrace l'histoire des moulins à vent de la Beauce, depuis leur apogée sous la monarchie de Juillet jusqu'à leur lent déclin.\n\nIl s'appuie sur les registres cadastraux et sur des témoignages de meuniers.",
    );
    expect(first!.license_evidence).toBe('https://hal.example.fr/hal-0001 dc:rights: "http://creativecommons.org/licenses/by/4.0/"');
    expect(first!.attribution).toBe('Martin, Élise; Dubois, Hervé');
    expect(first!.date_published).toBe('2023-11-05');
    expect(first!.metadata).toMatchObject({ languages: ['fre'], sets: ['type:ART'] });
    expect(t.rejects.map((r) => [r.reason, r.doc.id])).toEqual([
      ['oai-pmh.unknown_license', 'hal/oai:villers.test:fr-0003'],
      ['oai-pmh.takedown', 'hal/oai:villers.test:fr-0004'],
    ]);
    expect(t.rejects[0]!.detail).toMatchObject({ rights: ['Tous droits réservés'] });
  });
});
