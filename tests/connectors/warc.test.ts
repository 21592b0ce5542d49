import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { haveSamples, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { warcConnector, wetConnector } from '../../src/connectors/warc/index.js';
import { readWarcRecords } from '../../src/connectors/warc/records.js';
import { ByteReader } from '../../src/connectors/io/byte-reader.js';
import { decodeHtml } from '../../src/extract/charset.js';
import type { Connector } from '../../src/connectors/connector.js';
import type { Doc } from '../../src/pipeline/doc.js';

const warc = warcConnector as unknown as Connector;
const wet = wetConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function read(connector: Connector, options: Record<string, unknown>) {
  const t = testContext();
  const docs = await readAll(connector, { id: 'web', options }, t.ctx);
  await t.close();
  return { docs, rejects: t.rejects };
}

const html = (d: Doc) => decodeHtml(d.raw!, d.charset).text;

describe.skipIf(!haveSamples())('warc connector on the real archives', () => {
  it('hands the Assemblée nationale page over byte for byte with its iso-8859-1 label from the HTTP header', async () => {
    const { docs, rejects } = await read(warc, { input: sample('warc', 'assemblee-nationale__cri-20130127.warc.gz') });
    expect(rejects).toEqual([]);
    expect(docs).toHaveLength(1);
    const d = docs[0]!;
    expect(d.url).toBe('http://www.assemblee-nationale.fr/14/cri/2012-2013/20130127.asp');
    expect(d.media_type).toBe('text/html');
    expect(d.charset).toBe('iso-8859-1');
    expect(d.metadata).toMatchObject({ warc_type: 'response', warc_file: 'assemblee-nationale__cri-20130127.warc.gz', warc_version: '1.1', http_status: 200 });
    expect(d.metadata.warc_record_id).toMatch(/^urn:uuid:/);
    expect(typeof d.metadata.warc_offset).toBe('number');
    expect(html(d)).toContain('Compte rendu intégral');
    // The payload reaches the extract stage unchanged, 0x92 (’ in windows-1252) included, with the
    // header's label: decoding it as windows-1252 is decodeHtml's job.
    expect(Buffer.from(d.raw!).includes(Buffer.from('l\x92Etat', 'latin1'))).toBe(true);
    expect(d.raw!.byteLength).toBe(readFileSync(sample('html', 'assemblee-nationale__cri-20130127.asp.html')).byteLength);
  });

  it('reads the Common Crawl excerpt: one HTML response, request/metadata/warcinfo not documents', async () => {
    const { docs, rejects } = await read(warc, { input: sample('warc', 'commoncrawl-whirlwind__whirlwind.warc.gz') });
    expect(rejects).toEqual([]);
    expect(docs.map((d) => d.url)).toEqual(['https://an.wikipedia.org/wiki/Escopete']);
    expect(docs[0]!.charset).toBe('utf-8');
    expect(docs[0]!.date_retrieved).toMatch(/^2024-05-\d\dT/);
    expect(html(docs[0]!)).toContain('Escopete');
  });

  it('reads the wget crawl (34 gzip members, chunked bodies, bracketed target URIs)', async () => {
    const { docs, rejects } = await read(warc, { input: sample('warc', 'dolma__sample-0001.warc.gz') });
    expect(rejects).toEqual([]);
    expect(docs).toHaveLength(15);
    expect(docs.map((d) => d.url)).toContain('https://creativecommons.org/');
    expect(docs.every((d) => d.url!.startsWith('https://'))).toBe(true);
    // De-chunked: every payload starts with markup, not a hexadecimal chunk size.
    for (const d of docs) expect(html(d).trimStart().slice(0, 15).toLowerCase()).toMatch(/^<(!doctype|html)/);
    expect(new Set(docs.map((d) => d.id)).size).toBe(15);
  });

  it('de-chunks the iana.org response stored with Transfer-Encoding: chunked', async () => {
    const { docs } = await read(warc, { input: sample('warc', 'warcio__example-iana.org-chunked.warc') });
    expect(docs).toHaveLength(1);
    const text = html(docs[0]!);
    expect(text).toContain('Internet Assigned Numbers Authority');
    expect(text.trimStart().startsWith('<')).toBe(true);
    expect(text.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('reads example.warc and example.warc.gz alike: gzip Content-Encoding decoded, the revisit is not a document', async () => {
    const plain = await read(warc, { input: sample('warc', 'warcio__example.warc') });
    const gz = await read(warc, { input: sample('warc', 'warcio__example.warc.gz') });
    for (const r of [plain, gz]) {
      expect(r.rejects).toEqual([]);
      expect(r.docs).toHaveLength(1);
      expect(html(r.docs[0]!)).toContain('<title>Example Domain</title>');
    }
    expect(plain.docs[0]!.metadata.warc_record_id).toBe(gz.docs[0]!.metadata.warc_record_id);
  });

  it('takes resource records with their own Content-Type charset', async () => {
    const { docs } = await read(warc, { input: sample('warc', 'warcio__example-resource.warc.gz') });
    expect(docs).toHaveLength(1);
    expect(docs[0]!.metadata.warc_type).toBe('resource');
    expect(docs[0]!.charset).toBe('utf-8');
    expect(html(docs[0]!)).toContain('Example Domain');
  });

  it('strips the angle brackets wget puts around WARC-Target-URI and skips its metadata:// records', async () => {
    const { docs } = await read(warc, { input: sample('warc', 'warcio__example-wget-bad-target-uri.warc.gz') });
    expect(docs.map((d) => d.url)).toEqual(['http://example.com/']);
  });

  it('reads legacy ARC files', async () => {
    const { docs, rejects } = await read(warc, { input: sample('warc', 'warcio__example.arc.gz') });
    expect(rejects).toEqual([]);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.url).toBe('http://example.com/');
    expect(docs[0]!.metadata).toMatchObject({ archive_format: 'arc', ip_address: '93.184.216.119' });
    expect(docs[0]!.date_retrieved).toBe('2014-02-16T05:02:21Z');
    expect(html(docs[0]!)).toContain('Example Domain');
  });

  it('rejects the truncated gzip body and the stray bytes, with reasons, and reads on to the end', async () => {
    const { docs, rejects } = await read(warc, { input: sample('warc', 'warcio__example-trunc.warc') });
    expect(docs).toEqual([]);
    expect(rejects.map((r) => r.reason)).toEqual(['warc.bad_content_encoding', 'warc.garbage_skipped']);
    expect(rejects[0]!.doc.url).toBe('http://example.com/');
    expect(rejects[0]!.detail).toMatchObject({ file: 'warcio__example-trunc.warc' });
  });

  it('reads a folder of archives in name order', async () => {
    const { docs } = await read(warc, { input: sample('warc') });
    expect(docs.length).toBe(1 + 1 + 15 + 1 + 1 + 1 + 1 + 1 + 1);
  });
});

describe.skipIf(!haveSamples())('wet connector and WAT records', () => {
  it('yields the conversion record as text, with its language and the response it refers to', async () => {
    for (const f of ['commoncrawl-whirlwind__whirlwind.warc.wet', 'commoncrawl-whirlwind__whirlwind.warc.wet.gz']) {
      const { docs, rejects } = await read(wet, { input: sample('wet', f) });
      expect(rejects).toEqual([]);
      expect(docs).toHaveLength(1);
      const d = docs[0]!;
      expect(d.media_type).toBe('text/plain');
      expect(d.url).toBe('https://an.wikipedia.org/wiki/Escopete');
      expect(d.text.startsWith('Escopete - Biquipedia, a enciclopedia libre\nIr al contenido')).toBe(true);
      expect(d.metadata.identified_languages).toEqual(['spa']);
      expect(d.metadata.warc_refers_to).toMatch(/^urn:uuid:/);
    }
  });

  it('parses the WAT metadata record: its block is the JSON envelope of the response', async () => {
    const bytes = readFileSync(sample('wat', 'commoncrawl-whirlwind__whirlwind.warc.wat.gz'));
    const { gunzipSync } = await import('node:zlib');
    const reader = new ByteReader((async function* () {
      yield gunzipSync(bytes);
    })());
    const records = [];
    for await (const item of readWarcRecords(reader, { maxRecordBytes: 1 << 20, maxHeaderBytes: 1 << 16 })) if (item.kind === 'record') records.push(item.record);
    expect(records.map((r) => r.type)).toEqual(['warcinfo', 'metadata']);
    const json = JSON.parse(records[1]!.block.toString('utf8'));
    expect(json.Envelope['WARC-Header-Metadata']['WARC-Target-URI']).toBe('https://an.wikipedia.org/wiki/Escopete');
    const { docs } = await read(warc, { input: sample('wat', 'commoncrawl-whirlwind__whirlwind.warc.wat.gz') });
    expect(docs).toEqual([]);
  });
});

describe.skipIf(!haveSamples())('Common Crawl listings over HTTP', () => {
  async function crawlServer() {
    const files: Record<string, string> = {
      '/crawl-data/CC-TEST/segments/1/warc/one.warc.gz': sample('warc', 'commoncrawl-whirlwind__whirlwind.warc.gz'),
      '/crawl-data/CC-TEST/segments/1/warc/two.warc.gz': sample('warc', 'assemblee-nationale__cri-20130127.warc.gz'),
    };
    const listing = gzipSync(Object.keys(files).map((p) => p.slice(1)).join('\n') + '\n');
    const server = await localServer((_req, res, url) => {
      if (url.pathname === '/crawl-data/CC-TEST/warc.paths.gz') return void res.end(listing);
      const f = files[url.pathname];
      if (!f) {
        res.statusCode = 404;
        return void res.end();
      }
      res.end(readFileSync(f));
    });
    closers.push(server.close);
    return server;
  }

  it('reads a warc.paths.gz listing file by file and resumes after the last finished file', async () => {
    const server = await crawlServer();
    const dir = mkdtempSync(join(tmpdir(), 'villers-cc-'));
    const options = { paths: `${server.url}/crawl-data/CC-TEST/warc.paths.gz`, base_url: `${server.url}/`, checkpoint: 'cc.checkpoint.json' };
    const source = { id: 'cc', options };
    // First run stops (the consumer goes away) inside the second file.
    const t1 = testContext();
    const parsed = warc.options.parse(options);
    const first: Doc[] = [];
    for await (const d of warc.read(parsed, { source: { id: 'cc', name: 'cc', connector: 'warc', options }, baseDir: dir }, t1.ctx)) {
      first.push(d);
      if (d.url?.includes('assemblee')) break;
    }
    await t1.close();
    expect(first.map((d) => d.url)).toEqual(['https://an.wikipedia.org/wiki/Escopete', 'http://www.assemblee-nationale.fr/14/cri/2012-2013/20130127.asp']);
    const checkpoint = JSON.parse(readFileSync(join(dir, 'cc.checkpoint.json'), 'utf8'));
    expect(checkpoint.done.map((d: { file: string }) => d.file)).toEqual([`${server.url}/crawl-data/CC-TEST/segments/1/warc/one.warc.gz`]);
    // The rerun skips the finished file and reads the second one whole.
    const t2 = testContext();
    const second = await readAll(warc, source, t2.ctx, dir);
    await t2.close();
    expect(second.map((d) => d.url)).toEqual(['http://www.assemblee-nationale.fr/14/cri/2012-2013/20130127.asp']);
    expect(second[0]!.metadata.warc_file).toBe(`${server.url}/crawl-data/CC-TEST/segments/1/warc/two.warc.gz`);
    const t3 = testContext();
    expect(await readAll(warc, source, t3.ctx, dir)).toEqual([]);
    await t3.close();
    expect(server.requests.filter((r) => r.endsWith('one.warc.gz'))).toHaveLength(1);
  });

  it('lists one unit per archive file, so that tasks can split a crawl', async () => {
    const server = await crawlServer();
    const options = warc.options.parse({ paths: `${server.url}/crawl-data/CC-TEST/warc.paths.gz`, base_url: server.url, max_files: 1 });
    const units = await warc.units!(options, { source: { id: 'cc', name: 'cc', connector: 'warc', options: {} }, baseDir: tmpdir() });
    expect(units.map((u) => u.unit)).toEqual([`${server.url}/crawl-data/CC-TEST/segments/1/warc/one.warc.gz`]);
  });
});

describe.skipIf(!haveSamples())('hostile and broken archives', () => {
  it('stops a gzip bomb at the decompression limit with a reject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-bomb-'));
    const bomb = join(dir, 'bomb.warc.gz');
    writeFileSync(bomb, gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    const { docs, rejects } = await read(warc, { input: bomb, max_decompressed_bytes: 4 * 1024 * 1024 });
    expect(docs).toEqual([]);
    expect(rejects.map((r) => r.reason)).toContain('warc.decompressed_too_large');
  });

  it('rejects a record over max_record_bytes and reads the records after it', async () => {
    const { docs, rejects } = await read(warc, { input: sample('warc', 'dolma__sample-0001.warc.gz'), max_record_bytes: 60_000 });
    expect(rejects.filter((r) => r.reason === 'warc.record_too_large').length).toBeGreaterThan(0);
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.length + rejects.filter((r) => r.reason === 'warc.record_too_large' && r.doc.metadata.warc_headers && (r.doc.metadata.warc_headers as Record<string, string>)['warc-type'] === 'response').length).toBe(15);
  });

  it('rejects a file cut in the middle of a record (plain and gzip)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-cut-'));
    const whole = readFileSync(sample('warc', 'warcio__example.warc'));
    writeFileSync(join(dir, 'cut.warc'), whole.subarray(0, 1500));
    const plain = await read(warc, { input: join(dir, 'cut.warc') });
    expect(plain.rejects.map((r) => r.reason)).toEqual(['warc.truncated_record']);
    const gz = readFileSync(sample('warc', 'dolma__sample-0001.warc.gz'));
    writeFileSync(join(dir, 'cut.warc.gz'), gz.subarray(0, 120_000));
    const cut = await read(warc, { input: join(dir, 'cut.warc.gz') });
    expect(cut.docs.length).toBeGreaterThan(0);
    expect(cut.docs.length).toBeLessThan(15);
    expect(cut.rejects.map((r) => r.reason).some((r) => r === 'warc.corrupt_compressed_stream' || r === 'warc.truncated_record')).toBe(true);
  });

  it('never throws on randomly corrupted samples: every damaged record is a reject or a document', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-fuzz-'));
    let seed = 12345;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const sources = ['warcio__example.warc', 'warcio__example-iana.org-chunked.warc', 'warcio__example.warc.gz', 'commoncrawl-whirlwind__whirlwind.warc.gz', 'warcio__example.arc.gz'];
    for (let i = 0; i < 40; i++) {
      const name = sources[i % sources.length]!;
      const bytes = Buffer.from(readFileSync(sample('warc', name)));
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++) bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256);
      const file = join(dir, `fuzz-${i}-${name}`);
      writeFileSync(file, bytes);
      const { docs, rejects } = await read(warc, { input: file });
      for (const r of rejects) expect(r.reason).toMatch(/^warc\.[a-z_]+$/);
      expect(docs.length).toBeLessThanOrEqual(1);
    }
    expect(existsSync(dir)).toBe(true);
  });
});
