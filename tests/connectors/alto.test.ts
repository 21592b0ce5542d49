import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haveSamples, sample } from '../helpers/samples.js';
import { localServer, readAll, testContext } from './helpers.js';
import { altoConnector } from '../../src/connectors/alto/index.js';
import type { Connector } from '../../src/connectors/connector.js';

const alto = altoConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});
const page = () => sample('gallica-alto', 'OCR17plus__Racine1676_Andromaque_p0170.alto4.xml');

async function read(options: Record<string, unknown>) {
  const t = testContext();
  const docs = await readAll(alto, { id: 'gallica', license: 'CC-BY-4.0', license_evidence: 'OCR17plus README', options }, t.ctx);
  await t.close();
  return { docs, rejects: t.rejects };
}

describe.skipIf(!haveSamples())('alto connector on the Racine 1676 page (ALTO v4)', () => {
  it('gives the verse lines as lines, joins ¬-hyphenated words, and keeps page number and running title apart', async () => {
    const { docs, rejects } = await read({ input: page() });
    expect(rejects).toEqual([]);
    const d = docs[0]!;
    expect(d.id).toBe('gallica/OCR17plus__Racine1676_Andromaque_p0170.alto4');
    expect(d.metadata).toMatchObject({ page_number: '148', running_title: 'ANDROMAQUE.', blocks: 3, lines: 37, alto_namespace: 'http://www.loc.gov/standards/alto/ns-v4#' });
    const lines = d.text.split('\n');
    expect(lines[0]).toBe('Preſque aux yeux de l’Epire, écarta nos Vaiſſeaux.');
    expect(lines).toContain('Craignant toûjours pour vous quelque nouveau danger');
    expect(lines).toContain('Par quels charmes, apres tant de tourmens ſoufferts,');
    expect(d.text).toContain('Mais je vous voy, Seigneur, & ſi j’oſe le dire,');
    expect(d.text).toContain("Où j'ay vû ſi long-temps voſtre ame enſevelie.");
    expect(d.text).not.toContain('¬');
    expect(d.text).not.toContain('148');
    expect(lines).toHaveLength(37 - 2 - 2); // two page furniture lines out, two hyphenated pairs joined
  });

  it('reads ALTO over HTTP (a Gallica RequestDigitalElement URL served locally)', async () => {
    const server = await localServer((_req, res) => res.end(readFileSync(page())));
    closers.push(server.close);
    const url = `${server.url}/RequestDigitalElement?O=bpt6k0000000&E=ALTO&Deb=170`;
    const { docs } = await read({ input: url });
    expect(docs[0]!.url).toBe(url);
    expect(docs[0]!.text).toContain('Amy, n’accable point un Mal-heureux qui t’aime.');
  });
});

// ALTO v2 with word-level Strings, as Gallica delivers it; written by the villers team for this test.
const ALTO_V2 = `<?xml version="1.0" encoding="UTF-8"?>
<alto xmlns="http://www.loc.gov/standards/alto/ns-v2#"><Layout><Page ID="P1"><PrintSpace>
<TextBlock ID="B1">
 <TextLine><String CONTENT="La" WC="0.98"/><SP/><String CONTENT="rivière" WC="0.91"/><SP/><String CONTENT="traver-" SUBS_TYPE="HypPart1" SUBS_CONTENT="traversait"/><HYP CONTENT="-"/></TextLine>
 <TextLine><String CONTENT="sait" SUBS_TYPE="HypPart2" SUBS_CONTENT="traversait"/><SP/><String CONTENT="le"/><SP/><String CONTENT="village."/></TextLine>
</TextBlock>
<TextBlock ID="B2">
 <TextLine><String CONTENT="On"/><SP/><String CONTENT="y"/><SP/><String CONTENT="pê"/><HYP CONTENT="-"/></TextLine>
 <TextLine><String CONTENT="chait"/><SP/><String CONTENT="la"/><SP/><String CONTENT="truite."/></TextLine>
</TextBlock>
</PrintSpace></Page></Layout></alto>`;

describe('alto connector on word-level ALTO v2', () => {
  it('uses SUBS_CONTENT for words split across lines, HYP joins, SP spaces, blocks as paragraphs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-alto-'));
    writeFileSync(join(dir, 'p1.xml'), ALTO_V2);
    writeFileSync(join(dir, 'broken.xml'), ALTO_V2.slice(0, 300));
    const { docs, rejects } = await read({ input: dir });
    expect(rejects.map((r) => r.reason)).toEqual(['alto.xml_malformed']);
    expect(docs.map((d) => d.text)).toEqual(['La rivière traversait\nle village.\n\nOn y pêchait la truite.']);
    expect(docs[0]!.license).toBe('CC-BY-4.0');
  });
});
