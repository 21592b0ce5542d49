import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { localServer, readAll, testContext } from './helpers.js';
import { parquetConnector } from '../../src/connectors/parquet/index.js';
import type { Connector } from '../../src/connectors/connector.js';

const pq = parquetConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

// Rows written by the villers team for these tests.
const ROWS = [
  { doc_id: 'a1', contenu: 'Le conseil municipal se réunit jeudi à la mairie.', lien: 'https://example.org/a1', licence: 'Licence Ouverte 2.0', annee: 2021 },
  { doc_id: 'a2', contenu: 'La bibliothèque ouvre le dimanche matin.', lien: 'https://example.org/a2', licence: 'CC BY 4.0', annee: 2022 },
  { doc_id: 'a3', contenu: 'Une ligne sous une licence que personne ne connaît.', lien: null, licence: 'tous droits réservés sauf le mardi', annee: 2023 },
  { doc_id: 'a4', contenu: null, lien: null, licence: 'CC0', annee: 2024 },
];

function writeDataset(rowGroupSize: number): string {
  const col = <K extends keyof (typeof ROWS)[number]>(k: K) => ROWS.map((r) => r[k]);
  const buf = parquetWriteBuffer({
    columnData: [
      { name: 'doc_id', data: col('doc_id'), type: 'STRING' },
      { name: 'contenu', data: col('contenu'), type: 'STRING' },
      { name: 'lien', data: col('lien'), type: 'STRING' },
      { name: 'licence', data: col('licence'), type: 'STRING' },
      { name: 'annee', data: col('annee'), type: 'INT32' },
    ],
    rowGroupSize,
  });
  const file = join(mkdtempSync(join(tmpdir(), 'villers-pq-')), 'jeu.parquet');
  writeFileSync(file, Buffer.from(buf));
  return file;
}

const options = (input: string) => ({
  input,
  fields: { text: 'contenu', id: 'doc_id', url: 'lien', license: 'licence', title: null, attribution: null, date_published: null },
  metadata_columns: ['annee'],
  batch_rows: 2,
});

async function read(o: Record<string, unknown>) {
  const t = testContext();
  const docs = await readAll(pq, { id: 'jeu', options: o }, t.ctx);
  await t.close();
  return { docs, rejects: t.rejects };
}

describe('parquet connector', () => {
  it('maps columns to document fields, licences through the licence table, and rejects bad rows', async () => {
    const { docs, rejects } = await read(options(writeDataset(3)));
    expect(docs.map((d) => [d.id, d.license, d.url, d.metadata.annee])).toEqual([
      ['jeu/a1', 'etalab-2.0', 'https://example.org/a1', 2021],
      ['jeu/a2', 'CC-BY-4.0', 'https://example.org/a2', 2022],
    ]);
    expect(docs[0]!.text).toBe('Le conseil municipal se réunit jeudi à la mairie.');
    expect(docs[0]!.license_evidence).toContain('licence');
    expect(rejects.map((r) => [r.reason, r.doc.id])).toEqual([
      ['parquet.license_unknown', 'jeu/a3'],
      ['parquet.missing_text', 'jeu/a4'],
    ]);
  });

  it('reads over HTTP with range requests, fetching slices rather than the whole file', async () => {
    const file = writeDataset(1);
    const bytes = readFileSync(file);
    const ranges: string[] = [];
    const server = await localServer((req, res) => {
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-length': bytes.length, 'accept-ranges': 'bytes' });
        return void res.end();
      }
      const m = /bytes=(\d+)-(\d*)/.exec(req.headers.range ?? '');
      if (!m) return void res.end(bytes);
      ranges.push(req.headers.range!);
      const start = Number(m[1]);
      const end = m[2] ? Number(m[2]) : bytes.length - 1;
      res.writeHead(206, { 'content-range': `bytes ${start}-${end}/${bytes.length}`, 'content-length': end - start + 1 });
      res.end(bytes.subarray(start, end + 1));
    });
    closers.push(server.close);
    const { docs } = await read(options(`${server.url}/jeu.parquet`));
    expect(docs.map((d) => d.id)).toEqual(['jeu/a1', 'jeu/a2']);
    expect(ranges.length).toBeGreaterThan(1);
    expect(docs[1]!.metadata.file).toBe(`${server.url}/jeu.parquet`);
  });

  it('rejects a file that is not Parquet and goes on with the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-pq-'));
    writeFileSync(join(dir, 'a-faux.parquet'), 'pas du parquet');
    writeFileSync(join(dir, 'b.parquet'), readFileSync(writeDataset(4)));
    const { docs, rejects } = await read(options(dir));
    expect(rejects[0]!.reason).toBe('parquet.unreadable_file');
    expect(docs).toHaveLength(2);
  });
});
