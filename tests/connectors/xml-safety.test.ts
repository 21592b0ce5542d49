import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { haveSamples, sample } from '../helpers/samples.js';
import { XmlRecordReader, XmlRefusal } from '../../src/connectors/io/xml-records.js';
import { recordToOutcome } from '../../src/connectors/oai-pmh/dublin-core.js';
import { sitemapEntries } from '../../src/connectors/sitemap/parse.js';
import { maybeGunzip, BrokenGzip, DecompressionLimit } from '../../src/connectors/io/bounded-gunzip.js';
import { SourceSchema } from '../../src/schema/source.js';

async function* once(b: Uint8Array) {
  yield b;
}

describe('XML and gzip safety', () => {
  it('refuses a billion-laughs document before expanding anything', async () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "a">' + Array.from({ length: 9 }, (_, i) => `<!ENTITY a${i + 1} "${`&a${i || ''};`.repeat(10)}">`).join('') + ']><r><x>&a9;</x></r>';
    const reader = new XmlRecordReader((n) => n === 'x');
    const got: unknown[] = [];
    await expect(async () => {
      for await (const el of reader.records(once(Buffer.from(bomb)))) got.push(el);
    }).rejects.toThrow(expect.objectContaining({ reason: 'entity_declaration' }));
    expect(got).toEqual([]);
  });

  it('refuses an external entity (XXE) the same way', async () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r><x>&x;</x></r>';
    await expect(async () => {
      for await (const _ of new XmlRecordReader((n) => n === 'x').records(once(Buffer.from(xxe)))) void _;
    }).rejects.toThrow(XmlRefusal);
  });

  it('stops a gzip bomb at the configured expanded size', async () => {
    const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024));
    let n = 0;
    await expect(async () => {
      for await (const c of maybeGunzip(once(bomb), 1024 * 1024)) n += c.byteLength;
    }).rejects.toThrow(DecompressionLimit);
    expect(n).toBeLessThanOrEqual(1024 * 1024);
  });

  it('refuses a record over the size limit', async () => {
    const big = `<r><x>${'a'.repeat(5000)}</x></r>`;
    await expect(async () => {
      for await (const _ of new XmlRecordReader((n) => n === 'x', { maxRecordChars: 1000, maxDepth: 10, maxDocumentChars: 1e9 }).records(once(Buffer.from(big)))) void _;
    }).rejects.toThrow(expect.objectContaining({ reason: 'record_too_large' }));
  });
});

describe.skipIf(!haveSamples())('random corruption of the samples', () => {
  const source = SourceSchema.parse({ id: 'fuzz', name: 'fuzz', connector: 'oai-pmh', license: 'CC0-1.0' });
  const flips = (len: number) => fc.array(fc.tuple(fc.nat(len - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 });

  it('an OAI-PMH page: records come out or the page is refused with a reason, nothing else', async () => {
    const good = readFileSync(sample('oai-pmh', 'sickle__ListRecords.xml'));
    await fc.assert(
      fc.asyncProperty(flips(good.length), async (fs) => {
        const bad = Buffer.from(good);
        for (const [at, b] of fs) bad[at] = b;
        try {
          for await (const el of new XmlRecordReader((n, _u, d) => d === 2 && n === 'record').records(once(bad))) {
            const out = recordToOutcome(el, { source, retrieved: '2024-01-01T00:00:00Z', maxTextChars: 1e6 });
            expect(['doc', 'takedown', 'reject']).toContain(out.kind);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(XmlRefusal);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a gzipped sitemap: entries come out or a refusal with a reason', async () => {
    const good = readFileSync(sample('sitemaps-robots', 'crawler-commons__sitemaps__xmlSitemap.gz'));
    await fc.assert(
      fc.asyncProperty(flips(good.length), async (fs) => {
        const bad = Buffer.from(good);
        for (const [at, b] of fs) bad[at] = b;
        try {
          for await (const e of sitemapEntries(maybeGunzip(once(bad), 1024 * 1024))) if (e) expect(typeof e.url).toBe('string');
        } catch (e) {
          expect(e instanceof XmlRefusal || e instanceof DecompressionLimit || e instanceof BrokenGzip).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
