import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawlConnector, CrawlConnectorOptions } from '../../src/crawl/connector.js';
import { getConnector } from '../../src/connectors/index.js';
import { extractStage, ExtractOptions } from '../../src/extract/stage.js';
import { createContext } from '../../src/pipeline/context.js';
import { Stats } from '../../src/pipeline/stats.js';
import { RejectsWriter } from '../../src/pipeline/rejects.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { noProgress } from '../../src/pipeline/progress.js';
import type { Doc } from '../../src/pipeline/doc.js';
import { SourceSchema } from '../../src/schema/source.js';
import { html, serveSite, text, type TestSite } from './site.js';

let site: TestSite;
let dir: string;
beforeAll(async () => {
  site = await serveSite('127.0.0.1', {
    '/robots.txt': text(200, 'User-agent: *\nAllow: /\n'),
    '/': html('<main><h1>Mairie</h1><p>Horaires d\u2019ouverture de la mairie : du lundi au vendredi, de neuf heures à midi.</p><a href="/reserve.html">r</a></main><footer>Licence Ouverte version 2.0</footer>'),
    '/reserve.html': html('<p>Contenu dont la fouille est réservée.</p>', '<meta name="tdm-reservation" content="1">'),
  });
  dir = mkdtempSync(join(tmpdir(), 'villers-crawl-connector-'));
});
afterAll(() => site?.close());

async function collect(it: AsyncIterable<Doc>): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const d of it) out.push(d);
  return out;
}

describe('connector: crawl', () => {
  it('feeds crawled pages to the extract stage, rejects reserved ones with their evidence, and its WARC files read back through the warc connector', async () => {
    const stats = new Stats();
    const ctx = createContext({ stats, rejects: new RejectsWriter(join(dir, 'rejects')), log: silentLogger, progress: noProgress });
    const source = SourceSchema.parse({ id: 'mairie', name: 'Mairie', connector: 'crawl', options: {} });
    const options = CrawlConnectorOptions.parse({ seeds: [`${site.origin}/`], dir: 'crawl', allow_addresses: ['127.0.0.1'], rate_per_host: 20 });
    const raw = crawlConnector.read(options, { source, baseDir: dir }, ctx);
    const stage = await extractStage.create(ExtractOptions.parse({ stage: 'extract' }), ctx);
    const docs = await collect(stage(raw, ctx));
    expect(docs.map((d) => d.url)).toEqual([`${site.origin}/`]);
    expect(docs[0]!.text).toContain('Horaires d\u2019ouverture de la mairie');
    expect(docs[0]!.text).not.toContain('Licence Ouverte');
    expect((docs[0]!.metadata.page_licenses as { id: string }[])[0]!.id).toBe('etalab-2.0');
    expect(JSON.stringify(stats)).toContain('crawl.reserved');

    const warc = getConnector('warc');
    const wopts = warc.options.parse({ input: join(dir, 'crawl', 'warc') });
    const archived = await collect(warc.read(wopts, { source: SourceSchema.parse({ id: 'w', name: 'w', connector: 'warc', options: {} }), baseDir: dir }, ctx));
    expect(archived.map((d) => d.url)).toEqual([`${site.origin}/`]);
  });
});
