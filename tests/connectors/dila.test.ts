import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import fc from 'fast-check';
import { haveSamples, repoRoot, sample } from '../helpers/samples.js';
import { readAll, testContext } from './helpers.js';
import { dilaConnector } from '../../src/connectors/dila/index.js';
import { archiveOrder } from '../../src/connectors/dila/archives.js';
import type { Connector } from '../../src/connectors/connector.js';

const connector = dilaConnector as unknown as Connector;
const fixture = (name: string) => readFileSync(join(repoRoot, 'tests/connectors/fixtures/dila', name), 'utf8');
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The Code civil articles of the samples: number → paragraphs (the Markdown body, unwrapped). */
function codeCivil(): Map<string, string[]> {
  const dir = sample('legifrance', 'code-civil-md');
  const out = new Map<string, string[]>();
  for (const f of readdirSync(dir).sort()) {
    const md = readFileSync(join(dir, f), 'utf8');
    const [, num] = /^Article (\S+)/.exec(md)!;
    const body = md.split(/\n-+\n/)[1]!.trim();
    out.set(num!, body.split(/\n\s*\n/).map((p) => p.replace(/\s*\n\s*/g, ' ').trim()));
  }
  return out;
}

function legiArticle(id: string, num: string, paragraphs: string[], etat = 'VIGUEUR', debut = '2015-01-01'): string {
  const contenu = paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('\n');
  return fixture('legiarti-template.xml').replaceAll('{{ID}}', id).replaceAll('{{NUM}}', num).replaceAll('{{ETAT}}', etat).replaceAll('{{DEBUT}}', debut).replace('{{CONTENU}}', contenu);
}

/** A .tar.gz as DILA ships them: the fund's folder tree, one XML file per article. */
async function tarGz(entries: [string, string | Buffer][]): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, body] of entries) pack.entry({ name }, body);
  pack.finalize();
  const parts: Buffer[] = [];
  for await (const c of pack) parts.push(c as Buffer);
  return gzipSync(Buffer.concat(parts));
}

const artPath = (id: string) => `20240101-000000/legi/global/code_et_TNC_en_vigueur/code_en_vigueur/LEGI/TEXT/00/00/06/07/07/LEGITEXT000006070721/article/LEGI/ARTI/${id}.xml`;
const idFor = (n: number) => `LEGIARTI${String(6419280 + n).padStart(12, '0')}`;

describe.skipIf(!haveSamples())('dila connector on LEGI archives built around the Code civil samples', () => {
  it('emits articles in force with text, code title, number and dates; other states are rejected', async () => {
    const articles = [...codeCivil()];
    const dir = mkdtempSync(join(tmpdir(), 'dila-'));
    const entries: [string, string][] = articles.map(([num, paras], i) => [artPath(idFor(i)), legiArticle(idFor(i), num, paras)]);
    entries.push([artPath(idFor(99)), legiArticle(idFor(99), '7', ['Texte abrogé.'], 'ABROGE')]);
    writeFileSync(join(dir, 'Freemium_legi_global_20240101-000000.tar.gz'), await tarGz(entries));
    const t = testContext();
    const docs = await readAll(connector, { id: 'legi', options: { path: '.' } }, t.ctx, dir);
    await t.close();
    expect(docs).toHaveLength(articles.length);
    const art1 = docs.find((d) => d.metadata.num === '1')!;
    expect(art1.text).toBe(codeCivil().get('1')!.join('\n'));
    expect(art1.text).toMatch(/^Les lois et, lorsqu'ils sont publiés au Journal officiel de la République française/);
    expect(art1).toMatchObject({ title: 'Code civil, Article 1', license: 'etalab-2.0', date_published: '2015-01-01', url: `https://www.legifrance.gouv.fr/codes/article_lc/${idFor(articles.findIndex(([n]) => n === '1'))}` });
    expect(art1.attribution).toMatch(/^DILA/);
    expect(art1.metadata).toMatchObject({ etat: 'VIGUEUR', date_fin: '2999-01-01', text_id: 'LEGITEXT000006070721', nature: 'CODE', fund: 'LEGI' });
    expect(t.rejects.map((r) => [r.reason, r.detail])).toEqual([['dila.not_selected_status', { status: 'ABROGE', kept: ['VIGUEUR'] }]]);
  });

  it('applies incremental archives in date order: the last version wins, deletions become takedowns', async () => {
    const civil = codeCivil();
    const dir = mkdtempSync(join(tmpdir(), 'dila-'));
    writeFileSync(join(dir, 'Freemium_legi_global_20240101-000000.tar.gz'), await tarGz([
      [artPath(idFor(1)), legiArticle(idFor(1), '1', civil.get('1')!)],
      [artPath(idFor(2)), legiArticle(idFor(2), '2', civil.get('2')!)],
      [artPath(idFor(3)), legiArticle(idFor(3), '3', civil.get('3')!)],
    ]));
    // Named so that a plain sort would put it before the global dump.
    writeFileSync(join(dir, 'LEGI_20240102-210000.tar.gz'), await tarGz([
      [artPath(idFor(1)).replace('20240101-000000', '20240102-210000'), legiArticle(idFor(1), '1', ['Nouvelle rédaction écrite pour ce test.'], 'VIGUEUR', '2024-01-02')],
      ['20240102-210000/liste_suppression_legi.dat', `legi/global/code_et_TNC_en_vigueur/code_en_vigueur/LEGI/TEXT/00/00/06/07/07/LEGITEXT000006070721/article/LEGI/ARTI/${idFor(2)}\n`],
    ]));
    const t = testContext();
    const docs = await readAll(connector, { id: 'legi', options: { path: '.' } }, t.ctx, dir);
    await t.close();
    expect(docs.map((d) => [d.metadata.num, d.text.slice(0, 40)])).toEqual([
      ['3', civil.get('3')![0]!.slice(0, 40)],
      ['1', 'Nouvelle rédaction écrite pour ce test.'],
    ]);
    expect(t.rejects.map((r) => [r.reason, r.doc.id])).toEqual([['dila.takedown', `legi/${idFor(2)}`]]);
  });
});

describe('dila connector', () => {
  it('reads NOR and ELI from a JORF article', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dila-'));
    writeFileSync(join(dir, 'JORF_20240601-000000.tar.gz'), await tarGz([['jorf/article/JORFARTI000012345678.xml', fixture('jorfarti.xml')]]));
    const t = testContext();
    const [doc] = await readAll(connector, { id: 'jorf', options: { path: 'JORF_20240601-000000.tar.gz' } }, t.ctx, dir);
    await t.close();
    expect(doc!.text).toBe("Les communes veillent à l'entretien des chemins ruraux ouverts au public.\nElles peuvent confier cet entretien à une association foncière.\nUne convention en fixe les modalités.");
    expect(doc!.metadata).toMatchObject({ nor: 'TREL2400001D', eli: '/eli/decret/2024/5/30/TREL2400001D/jo/article_1', nature: 'DECRET' });
    expect(doc!.url).toBe('https://www.legifrance.gouv.fr/jorf/article_jo/JORFARTI000012345678');
    expect(doc!.title).toBe('Décret n° 2024-500 du 30 mai 2024, Article 1');
  });

  it('orders global dumps before incrementals, incrementals by time', () => {
    expect(archiveOrder(['LEGI_20240103-210000.tar.gz', 'LEGI_20240102-210000.tar.gz', 'Freemium_legi_global_20240101-000000.tar.gz'])).toEqual([
      'Freemium_legi_global_20240101-000000.tar.gz',
      'LEGI_20240102-210000.tar.gz',
      'LEGI_20240103-210000.tar.gz',
    ]);
  });

  it('refuses a decompression bomb and a billion-laughs entry, with their reasons', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dila-'));
    // 64 MB of zeros: about 64 KB compressed.
    writeFileSync(join(dir, 'LEGI_20240101-000000.tar.gz'), gzipSync(Buffer.alloc(64 * 1024 * 1024)));
    const laughs = '<?xml version="1.0"?><!DOCTYPE ARTICLE [<!ENTITY lol "lol">' +
      Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') + ']><ARTICLE>&lol9;</ARTICLE>';
    writeFileSync(join(dir, 'LEGI_20240102-000000.tar.gz'), await tarGz([['legi/LEGIARTI000000000001.xml', laughs]]));
    const t = testContext();
    const docs = await readAll(connector, { id: 'legi', options: { path: '.', max_archive_bytes: 1024 * 1024 } }, t.ctx, dir);
    await t.close();
    expect(docs).toEqual([]);
    expect(t.rejects.map((r) => r.reason)).toEqual(['dila.decompressed_too_large', 'dila.entity_declaration']);
  });

  it('never crashes on randomly corrupted archives: every outcome is a document or a reject', async () => {
    const good = await tarGz([['jorf/article/JORFARTI000012345678.xml', fixture('jorfarti.xml')]]);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), async (flips) => {
        const bad = Buffer.from(good);
        for (const [at, byte] of flips) bad[at] = byte;
        const dir = mkdtempSync(join(tmpdir(), 'dila-fuzz-'));
        writeFileSync(join(dir, 'JORF_20240601-000000.tar.gz'), bad);
        const t = testContext();
        const docs = await readAll(connector, { id: 'jorf', options: { path: '.' } }, t.ctx, dir);
        await t.close();
        expect(docs.length + t.rejects.length).toBeGreaterThanOrEqual(0);
        for (const r of t.rejects) expect(r.reason).toMatch(/^dila\./);
      }),
      { numRuns: 40 },
    );
  });
});
