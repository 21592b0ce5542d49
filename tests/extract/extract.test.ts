import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractPage } from '../../src/extract/page.js';
import { decodeHtml } from '../../src/extract/charset.js';
import { repoRoot } from '../helpers/samples.js';

const fixtures = join(repoRoot, 'tests/extract/fixtures/fr-dev');
const page = (name: string) => extractPage(readFileSync(join(fixtures, 'html', `${name}.html`)));
const gold = JSON.parse(readFileSync(join(fixtures, 'ground-truth.json'), 'utf8')) as Record<string, { articleBody: string }>;

describe('main text of French pages we wrote', () => {
  it('keeps headings, paragraphs and list items on their own lines, without the chrome', () => {
    const { text } = page('service');
    const lines = text.split('\n');
    expect(lines).toContain('Pièces à fournir');
    expect(lines).toContain("un justificatif de domicile de moins de trois mois ;");
    for (const chrome of ['cookies', 'Accueil', 'Partager', 'Voir aussi', 'Mentions légales', 'Fourrière']) expect(text).not.toContain(chrome);
  });

  it('finds the whole text of every page kind (service, forum, documentation, listing)', () => {
    for (const [name, g] of Object.entries(gold)) {
      const got = new Set(page(name).text.split('\n').map((l) => l.trim()));
      const want = g.articleBody.split('\n').map((l) => l.trim()).filter(Boolean);
      const found = want.filter((l) => got.has(l) || [...got].some((x) => x.includes(l)));
      expect([name, found.length / want.length]).toEqual([name, 1]);
    }
  });

  it('drops forum navigation, pagination and similar-topic lists', () => {
    const { text } = page('forum');
    for (const chrome of ["S'inscrire", 'Suivant', 'Sujets similaires', 'Radiateur froid', 'Tous droits réservés']) expect(text).not.toContain(chrome);
  });

  it('keeps preformatted blocks line by line', () => {
    expect(page('docs').text).toContain('dossiers:\n- /home/claire/documents\n- /srv/photos');
  });
});

describe('metadata', () => {
  it('reads title, author and date from JSON-LD, and canonical, site and lang from the head', () => {
    const d = page('docs').metadata;
    expect(d).toMatchObject({ title: 'Configurer la sauvegarde', author: 'Équipe Archivix', date_published: '2023-11-02', lang: 'fr' });
    const s = page('service').metadata;
    expect(s).toMatchObject({ canonical: 'https://www.sainte-aurore.example/demarches/carte-stationnement', site_name: 'Ville de Sainte-Aurore', date_published: '2024-03-12' });
  });

  it('takes the date from <time datetime> when nothing else states it', () => {
    const p = extractPage(Buffer.from('<html><body><article><time datetime="2022-05-04T10:00:00+02:00">4 mai</time><p>texte</p></article></body></html>'));
    expect(p.metadata.date_published).toBe('2022-05-04T08:00:00.000Z');
  });
});

describe('licence evidence', () => {
  it('maps rel=license and JSON-LD license to CC-BY-SA-4.0 with high confidence', () => {
    const l = page('docs').license;
    expect(l.best?.id).toBe('CC-BY-SA-4.0');
    expect(l.best!.confidence).toBeGreaterThanOrEqual(0.9);
    expect(l.all.map((e) => e.evidence).join(' ')).toMatch(/rel=license/);
    expect(l.all.map((e) => e.evidence).join(' ')).toMatch(/JSON-LD/);
  });

  it('recognises the French administration footer "sous licence etalab-2.0"', () => {
    const l = page('service').license;
    expect(l.best?.id).toBe('etalab-2.0');
    expect(l.best!.confidence).toBeLessThan(0.9);
  });

  it('reads Licence Ouverte phrasing and dcterms.license meta', () => {
    const lo = extractPage(Buffer.from('<html><body><p>x</p><footer>Contenu publié sous Licence Ouverte / Open Licence version 2.0</footer></body></html>')).license;
    expect(lo.best?.id).toBe('etalab-2.0');
    const meta = extractPage(Buffer.from('<html><head><meta name="dcterms.license" content="https://creativecommons.org/licenses/by/4.0/"></head><body><p>x</p></body></html>')).license;
    expect(meta.best).toMatchObject({ id: 'CC-BY-4.0', confidence: 0.9 });
  });

  it('lowers confidence when a page states two different licences, and finds none on a page without one', () => {
    const two = extractPage(Buffer.from('<html><body><a rel="license" href="https://creativecommons.org/licenses/by/4.0/">cc</a><a href="https://creativecommons.org/licenses/by-nc/4.0/">autre</a></body></html>')).license;
    expect(two.best?.id).toBe('CC-BY-4.0');
    expect(two.best!.confidence).toBeLessThan(0.7);
    expect(page('listing').license.best).toBeNull();
  });
});

describe('character encoding from raw bytes', () => {
  it('decodes a windows-1252 page by its meta charset', () => {
    const p = page('forum');
    expect(p.charset).toEqual({ charset: 'windows-1252', from: 'meta' });
    expect(p.text).toContain('Chaudière qui se met en sécurité');
  });

  it('reads ISO-8859-1 labels as windows-1252 (0x80 is the euro sign) and prefers BOM over everything', () => {
    const bytes = Buffer.from([...Buffer.from('<meta charset="iso-8859-1"><p>'), 0x80, 0x20, 0xe9, ...Buffer.from('</p>')]);
    expect(decodeHtml(bytes).text).toContain('€ é');
    const bom = Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from('<meta charset="iso-8859-1"><p>é</p>')]);
    expect(decodeHtml(bom, 'windows-1252')).toMatchObject({ charset: 'utf-8', from: 'bom' });
  });
});

const cli = join(repoRoot, 'dist/cli/main.js');
describe.skipIf(!existsSync(cli))('villers extract (built CLI)', () => {
  it('reads stdin and prints the main text; --json adds metadata and licence', () => {
    const input = readFileSync(join(fixtures, 'html/docs.html'));
    expect(execFileSync(process.execPath, [cli, 'extract'], { input }).toString()).toContain('Configurer la sauvegarde');
    const json = JSON.parse(execFileSync(process.execPath, [cli, 'extract', '--json', join(fixtures, 'html/docs.html')]).toString());
    expect(json.license.best.id).toBe('CC-BY-SA-4.0');
    expect(json.metadata.title).toBe('Configurer la sauvegarde');
  });

  it('--in DIR --out DIR writes NAME.txt for each NAME.html', () => {
    const out = mkdtempSync(join(tmpdir(), 'villers-extract-'));
    execFileSync(process.execPath, [cli, 'extract', '--in', join(fixtures, 'html'), '--out', out], { stdio: 'pipe' });
    expect(readdirSync(out).sort()).toEqual(['docs.txt', 'forum.txt', 'listing.txt', 'service.txt']);
    expect(readFileSync(join(out, 'listing.txt'), 'utf8')).toContain('Technicien de maintenance');
  });
});
