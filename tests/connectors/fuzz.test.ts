import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveSamples, sample } from '../helpers/samples.js';
import { readAll, testContext } from './helpers.js';
import { mediawikiConnector } from '../../src/connectors/mediawiki/index.js';
import { altoConnector } from '../../src/connectors/alto/index.js';
import { gutenbergConnector } from '../../src/connectors/gutenberg/index.js';
import type { Connector } from '../../src/connectors/connector.js';

describe.skipIf(!haveSamples())('randomly corrupted dumps, pages and catalogues', () => {
  it('never crash the XML connectors: damage ends as a reject with a reason code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-fuzz-xml-'));
    let seed = 987654321;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const cases: [Connector, string, string][] = [
      [mediawikiConnector as unknown as Connector, sample('mediawiki-xml', 'dbpedia__minidump-oc-wiki.xml.bz2'), 'mediawiki'],
      [mediawikiConnector as unknown as Connector, sample('mediawiki-xml', 'dbpedia__frwiki-export-0.8_Bruges.xml'), 'mediawiki'],
      [altoConnector as unknown as Connector, sample('gallica-alto', 'OCR17plus__Racine1676_Andromaque_p0170.alto4.xml'), 'alto'],
      [gutenbergConnector as unknown as Connector, sample('gutenberg', 'guten-parser__pg4650.rdf'), 'gutenberg'],
    ];
    for (let i = 0; i < 32; i++) {
      const [connector, file, stage] = cases[i % cases.length]!;
      const bytes = Buffer.from(readFileSync(file));
      for (let k = 0, n = 1 + Math.floor(rand() * 6); k < n; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const target = join(dir, `${i}-${file.split('/').pop()}`);
      writeFileSync(target, bytes);
      const t = testContext();
      // Catalogue texts point at a closed local port: a fetch failure is a reject too.
      const docs = await readAll(connector, { id: 'f', options: { input: target, ...(stage === 'gutenberg' ? { text_url: 'http://127.0.0.1:9/{id}.txt', delay_ms: 0, http: { max_retries: 0 } } : {}) } }, t.ctx);
      await t.close();
      for (const r of t.rejects) expect(r.reason).toMatch(new RegExp(`^${stage}\\.[a-z0-9_]+$`));
      expect(docs.length).toBeLessThanOrEqual(1);
    }
  });
});
