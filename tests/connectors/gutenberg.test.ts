import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { haveSamples, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { gutenbergConnector } from '../../src/connectors/gutenberg/index.js';
import { stripBoilerplate } from '../../src/connectors/gutenberg/boilerplate.js';
import { PUBLIC_DOMAIN } from '../../src/licenses/table.js';
import type { Connector } from '../../src/connectors/connector.js';

const pg = gutenbergConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function read(options: Record<string, unknown>) {
  const t = testContext();
  const docs = await readAll(pg, { id: 'pg', options }, t.ctx);
  await t.close();
  return { docs, rejects: t.rejects };
}

describe.skipIf(!haveSamples())('gutenberg connector on real eBooks', () => {
  it('reads the French Alice without the Project Gutenberg header and licence', async () => {
    const { docs, rejects } = await read({ input: sample('gutenberg', 'kalamine-corpus__fr_alice.txt') });
    expect(rejects).toEqual([]);
    const d = docs[0]!;
    expect(d.id).toBe('pg/55456');
    expect(d.title).toBe("Aventures d'Alice au pays des merveilles");
    expect(d.url).toBe('https://www.gutenberg.org/ebooks/55456');
    expect(d.license).toBe(PUBLIC_DOMAIN);
    expect(d.attribution).toContain('Lewis Carroll');
    expect(d.attribution).toContain('Project Gutenberg');
    expect(d.metadata).toMatchObject({ translator: 'Henri Bué', language_code: 'fr', header_language: 'French' });
    expect(d.text.startsWith('Au lecteur')).toBe(true);
    expect(d.text).toContain('AVENTURES D\'ALICE');
    expect(d.text).not.toMatch(/Project Gutenberg|PROJECT GUTENBERG|\*\*\* (START|END)/);
    expect(d.text).not.toContain('\r');
  });

  it('reads every text sample (French Faust and the parallel Alices) with its eBook number and no boilerplate', async () => {
    const expected: Record<string, [string, string]> = {
      'kalamine-corpus__fr_faust_1.txt': ['54202', 'Faust [première partie]'],
      'kalamine-corpus__en_alice.txt': ['11', "Alice's Adventures in Wonderland"],
      'kalamine-corpus__de_alice.txt': ['19778', "Alice's Abenteuer im Wunderland"],
      'kalamine-corpus__it_alice.txt': ['28371', "Le avventure d'Alice nel paese delle meraviglie"],
    };
    for (const [file, [ebook, title]] of Object.entries(expected)) {
      const { docs, rejects } = await read({ input: sample('gutenberg', file) });
      expect(rejects).toEqual([]);
      expect([docs[0]!.metadata.ebook, docs[0]!.title]).toEqual([ebook, title]);
      expect(docs[0]!.text).not.toMatch(/Project Gutenberg/i);
      expect(docs[0]!.text.length).toBeGreaterThan(100_000);
    }
    // The German file opens its body with a "Produced by" credit, which goes too.
    const de = (await read({ input: sample('gutenberg', 'kalamine-corpus__de_alice.txt') })).docs[0]!;
    expect(de.text).not.toContain('Produced by');
    const en = (await read({ input: sample('gutenberg', 'kalamine-corpus__en_alice.txt') })).docs[0]!;
    expect(en.text).toContain('Alice was beginning to get very tired of sitting by her sister');
  });

  async function catalogServer() {
    const server = await localServer((_req, res, url) => {
      if (url.pathname === '/cache/epub/4650/pg4650.txt') return void res.end(CANDIDE_FIXTURE);
      if (url.pathname === '/feeds/pg4650.rdf') return void res.end(readFileSync(sample('gutenberg', 'guten-parser__pg4650.rdf')));
      res.statusCode = 404;
      res.end();
    });
    closers.push(server.close);
    return server;
  }

  it('reads the RDF catalogue: French, public domain (Voltaire died in 1778), text fetched and stripped', async () => {
    const server = await catalogServer();
    const { docs, rejects } = await read({ input: `${server.url}/feeds/pg4650.rdf`, text_url: `${server.url}/cache/epub/{id}/pg{id}.txt`, delay_ms: 0 });
    expect(rejects).toEqual([]);
    const d = docs[0]!;
    expect(d.id).toBe('pg/4650');
    expect(d.title).toBe("Candide, ou, L'optimisme");
    expect(d.license).toBe(PUBLIC_DOMAIN);
    expect(d.license_evidence).toContain('Public domain in the USA.');
    expect(d.license_evidence).toContain('public domain in the EU');
    expect(d.attribution).toContain('Voltaire');
    expect(d.metadata.bookshelves).toContain('FR Littérature');
    expect(d.metadata.creators).toEqual([expect.objectContaining({ name: 'Voltaire', death: 1778, role: 'creator' })]);
    expect(d.text).toBe('Texte d’essai écrit pour les tests de villers.\n\nIl tient lieu du livre.');
  });

  it('skips catalogue entries in other languages and reads catalogue tarballs', async () => {
    const server = await catalogServer();
    const other = await read({ input: `${server.url}/feeds/pg4650.rdf`, text_url: `${server.url}/cache/epub/{id}/pg{id}.txt`, languages: ['en'], delay_ms: 0 });
    expect(other).toEqual({ docs: [], rejects: [] });
    const pack = tar.pack();
    pack.entry({ name: 'cache/epub/4650/pg4650.rdf' }, readFileSync(sample('gutenberg', 'guten-parser__pg4650.rdf')));
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack) chunks.push(c as Buffer);
    const dir = mkdtempSync(join(tmpdir(), 'villers-pg-'));
    writeFileSync(join(dir, 'rdf-files.tar.gz'), gzipSync(Buffer.concat(chunks)));
    const { docs } = await read({ input: join(dir, 'rdf-files.tar.gz'), text_url: `${server.url}/cache/epub/{id}/pg{id}.txt`, delay_ms: 0 });
    expect(docs.map((d) => [d.id, d.metadata.catalog])).toEqual([['pg/4650', 'rdf-files.tar.gz:cache/epub/4650/pg4650.rdf']]);
  });

  it('rejects a text with no START line and a catalogue entry whose text is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-pg-'));
    writeFileSync(join(dir, 'sans-marque.txt'), 'Un texte sans en-tête ni pied de page.\n');
    const a = await read({ input: join(dir, 'sans-marque.txt') });
    expect(a.rejects.map((r) => r.reason)).toEqual(['gutenberg.no_start_marker']);
    const server = await catalogServer();
    const b = await read({ input: `${server.url}/feeds/pg4650.rdf`, text_url: `${server.url}/missing/{id}.txt`, delay_ms: 0, http: { max_retries: 0 } });
    expect(b.rejects.map((r) => r.reason)).toEqual(['gutenberg.text_unavailable']);
  });
});

/** Written by the villers team: the Project Gutenberg layout around a placeholder text. */
const CANDIDE_FIXTURE = `\uFEFFThe Project Gutenberg eBook of Candide\r\n\r\nTitle: Candide\r\n\r\nAuthor: Voltaire\r\n\r\nRelease date: November 1, 2003 [eBook #4650]\r\n\r\nLanguage: French\r\n\r\n*** START OF THE PROJECT GUTENBERG EBOOK CANDIDE ***\r\n\r\nProduced by a volunteer.\r\n\r\nTexte d’essai écrit pour les tests de villers.\r\n\r\nIl tient lieu du livre.\r\n\r\n*** END OF THE PROJECT GUTENBERG EBOOK CANDIDE ***\r\n\r\nUpdated editions will replace the previous one.\r\n`;

describe('gutenberg boilerplate variants', () => {
  // Marker lines as they appear in older eBooks (written for these tests, bodies ours).
  it('recognises the 1990s small print and the "End of the Project Gutenberg EBook" footer', () => {
    const old = '**The Project Gutenberg Etext of Essai**\n...small print...\n*END*THE SMALL PRINT! FOR PUBLIC DOMAIN ETEXTS*Ver.04.29.93*END*\n\nLe corps du texte.\n\nEnd of the Project Gutenberg EBook of Essai\n';
    expect(stripBoilerplate(old)!.body).toBe('Le corps du texte.');
    const mid = '*** START OF THIS PROJECT GUTENBERG EBOOK ESSAI ***\n\nE-text prepared by someone\n\nCorps.\n\n*** END OF THIS PROJECT GUTENBERG EBOOK ESSAI ***\nlicence';
    expect(stripBoilerplate(mid)!.body).toBe('Corps.');
  });
});
