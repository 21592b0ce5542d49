import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveSamples, sample } from '../helpers/samples.js';
import { readAll, testContext } from './helpers.js';
import { assembleeConnector } from '../../src/connectors/assemblee/index.js';
import { parseFrenchDate } from '../../src/connectors/assemblee/french-date.js';
import type { Connector } from '../../src/connectors/connector.js';

const connector = assembleeConnector as unknown as Connector;
const source = (options: Record<string, unknown>) => ({
  id: 'an',
  license: 'etalab-2.0',
  license_evidence: 'https://data.assemblee-nationale.fr/ (test declaration)',
  options,
});

describe.skipIf(!haveSamples())('assemblee connector on the recorded AN open data and TEI debate', () => {
  it('turns an amendment into its dispositif and exposé sommaire, with author and date', async () => {
    const t = testContext();
    const docs = await readAll(connector, source({ path: 'an-opendata__amendement__AMANR5L17PO838901BTC1191P0D1N002143.json' }), t.ctx, sample('parliament'));
    await t.close();
    expect(docs).toHaveLength(1);
    const d = docs[0]!;
    expect(d.id).toBe('an/AMANR5L17PO838901BTC1191P0D1N002143');
    expect(d.title).toBe('Amendement n° 2143 (Article 15 bis A)');
    expect(d.text).toMatch(/^Dispositif\nSupprimer cet article\.\n\nExposé sommaire\nCet amendement du groupe LFI-NFP vise à la suppression de l'article 15 bis A, qui facilite la destruction d'espèces/);
    expect(d.date_published).toBe('2025-04-04');
    expect(d.license).toBe('etalab-2.0');
    expect(d.metadata).toMatchObject({ auteur: 'PA841191', groupe: 'PO845413', sort: 'Adopté', article: 'Article 15 bis A' });
    expect(String(d.metadata.speaker)).toMatch(/^Mme Nosbé, Mme Obono/);
    expect((d.metadata.cosignataires as string[]).slice(0, 3)).toEqual(['PA721960', 'PA793872', 'PA720892']);
  });

  it('splits the TEI sitting into one document per speech, with speaker, date and the header licence', async () => {
    const t = testContext();
    const docs = await readAll(connector, source({ path: 'mariagepourtousInXML__cri-20130127.tei.xml' }), t.ctx, sample('parliament'));
    await t.close();
    expect(docs).toHaveLength(612);
    const dalloz = docs.find((d) => d.attribution === 'Marie-Christine Dalloz')!;
    expect(dalloz.text).toMatch(/^Bernanos, lors des conférences compilées dans l'essai La liberté pour quoi faire \?/);
    expect(dalloz.metadata).toMatchObject({ interventiontype: 'intervention', politicalgroup: 'UMP', speaker: 'Marie-Christine Dalloz' });
    expect(dalloz.date_published).toBe('2013-02-02');
    expect(dalloz.title).toBe('Mariage pour tous - Première séance du samedi 2 février 2013');
    // The header states CC BY 3.0 FR for the encoding; SPDX has no id for that port.
    expect(dalloz.license).toBe('LicenseRef-CC-BY-3.0-FR');
    expect(dalloz.license_evidence).toContain('http://creativecommons.org/licenses/by/3.0/fr/');
    expect(docs[0]!.text).toBe('.La séance est ouverte.\n(La séance est ouverte à dix heures.)');
    expect(t.rejects).toEqual([]);
  });

  it('reads a folder: sittings on request, and records that are not prose rejected with their type', async () => {
    const t = testContext();
    const docs = await readAll(connector, source({ path: '.', kinds: ['amendement', 'reunion'] }), t.ctx, sample('parliament'));
    await t.close();
    expect(docs.map((d) => d.id)).toEqual(['an/AMANR5L17PO838901BTC1191P0D1N002143', 'an/RUANR5L17S2025IDC453351', 'an/RUANR5L17S2025IDS28907']);
    // The deleted agenda point ("Supprimé") is left out.
    expect(docs[2]!.text).toBe("Déclaration du Gouvernement, suivie d'un débat (art. 50-1 de la Constitution)");
    expect(t.rejects.map((r) => [r.reason, (r.detail as { type: string }).type])).toEqual([
      ['assemblee.not_prose', 'acteur'],
      ['assemblee.not_prose', 'organe'],
      ['assemblee.not_prose', 'scrutin'],
    ]);
  });
});

describe('assemblee connector on broken input', () => {
  it('rejects malformed JSON and a TEI file with an entity bomb, and keeps going', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'an-'));
    writeFileSync(join(dir, 'a.json'), '{"amendement": {"uid": ');
    writeFileSync(join(dir, 'b.xml'), '<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><sp><p>&b;</p></sp></body></text></TEI>');
    const t = testContext();
    const docs = await readAll(connector, source({ path: '.' }), t.ctx, dir);
    await t.close();
    expect(docs).toEqual([]);
    expect(t.rejects.map((r) => r.reason)).toEqual(['assemblee.malformed_json', 'assemblee.entity_declaration']);
  });

  it('reads French dates as they are written in the record', () => {
    expect(parseFrenchDate('samedi 2 février 2013')).toBe('2013-02-02');
    expect(parseFrenchDate('1er août 1789')).toBe('1789-08-01');
    expect(parseFrenchDate('le 2 brumaire an VIII')).toBeNull();
  });
});
