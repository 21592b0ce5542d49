import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveSamples, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { mediawikiConnector } from '../../src/connectors/mediawiki/index.js';
import { wikitextToText } from '../../src/connectors/mediawiki/wikitext.js';
import type { Connector } from '../../src/connectors/connector.js';

const mw = mediawikiConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
const dump = (f: string) => sample('mediawiki-xml', f);

async function read(options: Record<string, unknown>) {
  const t = testContext();
  const docs = await readAll(mw, { id: 'wiki', options }, t.ctx);
  await t.close();
  return { docs, rejects: t.rejects };
}

describe.skipIf(!haveSamples())('mediawiki connector on real dumps', () => {
  it('reads the frwiki bz2 minidump: three articles as clean French text, CC BY-SA 4.0 with page and history', async () => {
    const { docs, rejects } = await read({ input: dump('dbpedia__minidump-fr-wiki.xml.bz2'), site_url: 'https://fr.wikipedia.org', site_name: 'Wikipédia' });
    expect(rejects).toEqual([]);
    expect(docs.map((d) => d.title)).toEqual(['Antoine Meillet', 'Autriche', 'Berlin']);
    const meillet = docs[0]!;
    expect(meillet.id).toBe('wiki/3');
    expect(meillet.url).toBe('https://fr.wikipedia.org/wiki/Antoine_Meillet');
    expect(meillet.license).toBe('CC-BY-SA-4.0');
    expect(meillet.attribution).toContain('https://fr.wikipedia.org/w/index.php?title=Antoine_Meillet&action=history');
    expect(meillet.attribution).toContain('Wikipédia');
    expect(meillet.date_published).toBe('2021-01-09T23:16:50Z');
    expect(meillet.metadata).toMatchObject({ page_id: '3', revision_id: '178616178', dbname: 'enwiki' });
    expect(meillet.text.startsWith('Paul Jules Antoine Meillet, né le 11 novembre 1866 à Moulins (Allier)')).toBe(true);
    expect(meillet.text).toContain('est le principal linguiste français des premières décennies du XXe siècle.');
    expect(meillet.text).toContain('\nBiographie\n');
    expect(docs[1]!.text.startsWith("L'Autriche")).toBe(true);
    for (const d of docs) {
      for (const markup of ['{{', '}}', '[[', ']]', '<ref', '&lt;', "'''", 'Catégorie:', 'Fichier:', '{|']) expect(d.text).not.toContain(markup);
    }
  });

  it('reads the Occitan, Breton and Italian minidumps (hard negatives for language ID) with their titles', async () => {
    for (const [f, title, phrase] of [
      ['dbpedia__minidump-oc-wiki.xml.bz2', 'Berlin', "Berlin es la capitala d'Alemanha"],
      ['dbpedia__minidump-br-wiki.xml.bz2', 'Berlin', 'Berlin'],
      ['dbpedia__minidump-it-wiki.xml.bz2', 'Berlino', 'Berlino'],
    ] as const) {
      const { docs, rejects } = await read({ input: dump(f) });
      expect(rejects).toEqual([]);
      expect(docs.map((d) => d.title)).toEqual([title]);
      expect(docs[0]!.text).toContain(phrase);
      expect(docs[0]!.text.length).toBeGreaterThan(500);
    }
  });

  it('reads export-0.8 pages; an infobox-only page is rejected as empty text with its title', async () => {
    const { docs, rejects } = await read({ input: [dump('dbpedia__frwiki-export-0.8_Bruges.xml'), dump('dbpedia__frwiki-export-0.8_Jules_Cesar.xml')] });
    expect(docs).toEqual([]);
    expect(rejects.map((r) => [r.reason, r.doc.title, r.doc.id])).toEqual([
      ['mediawiki.empty_text', 'Bruges', 'wiki/19845'],
      ['mediawiki.empty_text', 'Jules César', 'wiki/1639'],
    ]);
    // export-0.8 siteinfo names the French wiki: the URL comes from it.
    expect(rejects[0]!.doc.url).toBe('http://fr.wikipedia.org/wiki/Bruges');
  });

  it('streams a dump over HTTP from a local server', async () => {
    const server = await localServer((_req, res) => res.end(readFileSync(dump('dbpedia__minidump-fr-wiki.xml.bz2'))));
    closers.push(server.close);
    const { docs } = await read({ input: `${server.url}/frwiki-latest-pages-articles.xml.bz2`, site_url: 'https://fr.wikipedia.org' });
    expect(docs.map((d) => d.title)).toEqual(['Antoine Meillet', 'Autriche', 'Berlin']);
    expect(docs[2]!.metadata.dump_file).toBe(`${server.url}/frwiki-latest-pages-articles.xml.bz2`);
  });

  it('stops a bz2 stream at the decompression limit with a reject', async () => {
    const { docs, rejects } = await read({ input: dump('dbpedia__minidump-fr-wiki.xml.bz2'), max_decompressed_bytes: 20_000 });
    expect(docs).toEqual([]);
    expect(rejects.map((r) => r.reason)).toEqual(['mediawiki.decompressed_too_large']);
  });
});

// Written by the villers team for these tests (structure from the MediaWiki export-0.11 schema).
const OWN_DUMP = `<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="fr">
  <siteinfo><sitename>Wikisource</sitename><dbname>frwikisource</dbname><base>https://fr.wikisource.org/wiki/Accueil</base>
    <namespaces><namespace key="6">Fichier</namespace><namespace key="14">Catégorie</namespace></namespaces></siteinfo>
  <page><title>Le Moulin de Villers</title><ns>0</ns><id>11</id>
    <revision><id>101</id><timestamp>2024-03-01T10:00:00Z</timestamp><text bytes="1">{{TextQuality|100%}}
Le '''moulin''' tourne depuis le {{s|XVIII}} au bord de la [[Rivière|rivière]].&lt;ref&gt;Note du copiste.&lt;/ref&gt;
[[Fichier:Moulin.jpg|vignette|Le [[moulin]] en hiver]]
== Les meuniers ==
* Jean, meunier de père en fils ;
* Marie, qui tenait les comptes.
{| class="wikitable"
| cellule || autre
|}
[[Catégorie:Moulins]]
[[en:Mill of Villers]]</text></revision></page>
  <page><title>Moulin</title><ns>0</ns><id>12</id><redirect title="Le Moulin de Villers"/>
    <revision><id>102</id><text>#REDIRECTION [[Le Moulin de Villers]]</text></revision></page>
  <page><title>Discussion:Le Moulin de Villers</title><ns>1</ns><id>13</id>
    <revision><id>103</id><text>Une discussion.</text></revision></page>
</mediawiki>`;

describe('mediawiki connector on a dump we wrote', () => {
  it('keeps the main namespace only, skips redirects, and turns wikitext into headings, lists and prose', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-mw-'));
    writeFileSync(join(dir, 'own.xml'), OWN_DUMP);
    const { docs, rejects } = await read({ input: join(dir, 'own.xml') });
    expect(rejects).toEqual([]);
    expect(docs).toHaveLength(1);
    expect(docs[0]!.url).toBe('https://fr.wikisource.org/wiki/Le_Moulin_de_Villers');
    expect(docs[0]!.text).toBe('Le moulin tourne depuis le XVIIIe siècle au bord de la rivière.\n\nLes meuniers\n\nJean, meunier de père en fils ;\nMarie, qui tenait les comptes.');
  });

  it('refuses a billion-laughs dump (entity declarations) with a reject, not a hang', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-lol-'));
    const lol = `<?xml version="1.0"?>\n<!DOCTYPE mediawiki [\n<!ENTITY lol "lol">\n${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n')}\n]>\n<mediawiki><page><title>&lol9;</title><ns>0</ns><id>1</id><revision><text>&lol9;</text></revision></page></mediawiki>`;
    writeFileSync(join(dir, 'lol.xml'), lol);
    const { docs, rejects } = await read({ input: join(dir, 'lol.xml') });
    expect(docs).toEqual([]);
    expect(rejects.map((r) => r.reason)).toEqual(['mediawiki.xml_entity_declaration']);
  });
});

describe('wikitext to text', () => {
  it('removes nested templates innermost first and renders inline dates', () => {
    expect(wikitextToText("{{Infobox|naissance={{Date|1|mai|1900}}|x={{y|{{z}}}}}}Né le {{date-|3 juin 1901}}.")).toBe('Né le 3 juin 1901.');
  });
  it('keeps link labels, drops files (captions with links), categories and interwikis', () => {
    expect(wikitextToText('Voir [[Paris|la capitale]] et [[Lyon]]s. [[File:a.png|thumb|[[b]] c]][[Category:X]][[de:Y]][[:Catégorie:Z|les villes]]')).toBe('Voir la capitale et Lyons. les villes');
  });
  it('drops reference sections and tables, keeps external link labels', () => {
    expect(wikitextToText('Texte [http://example.org site] fin.\n{|\n|a\n|}\n== Notes et références ==\n{{Références}}\n* une note')).toBe('Texte site fin.');
  });
});
