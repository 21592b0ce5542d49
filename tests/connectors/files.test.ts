import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { filesConnector, FilesOptions } from '../../src/connectors/files.js';
import { createContext } from '../../src/pipeline/context.js';
import type { Doc } from '../../src/pipeline/doc.js';
import { RejectsWriter } from '../../src/pipeline/rejects.js';
import { Stats } from '../../src/pipeline/stats.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { noProgress } from '../../src/pipeline/progress.js';
import { SourceSchema } from '../../src/schema/source.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'villers-files-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(options: unknown) {
  const stats = new Stats();
  const ctx = createContext({ stats, rejects: new RejectsWriter(join(dir, 'rejects')), log: silentLogger, progress: noProgress });
  const source = SourceSchema.parse({ id: 'local', name: 'Local', connector: 'files', date_retrieved: '2026-11-30T00:00:00Z', options });
  const docs: Doc[] = [];
  for await (const d of filesConnector.read(FilesOptions.parse(options), { source, baseDir: dir }, ctx)) docs.push(d);
  return { docs, rejected: stats.stage('files').rejected };
}

describe('the local-files connector', () => {
  it('reads JSONL records with their fields, keeps unknown fields as metadata, and rejects bad lines with a reason', async () => {
    await writeFile(
      join(dir, 'a.jsonl'),
      [
        JSON.stringify({ id: 'x1', text: 'Bonjour à tous.', title: 'Salut', license: 'CC0-1.0', auteur: 'Anne' }),
        '{"id": "broken"',
        JSON.stringify(['not', 'an', 'object']),
        JSON.stringify({ id: 'x2', title: 'no text' }),
        '',
        JSON.stringify({ text: 'Sans identifiant.' }),
      ].join('\n'),
    );
    const { docs, rejected } = await read({ path: 'a.jsonl' });
    expect(docs.map((d) => d.id)).toEqual(['local/x1', 'local/a.jsonl:6']);
    expect(docs[0]).toMatchObject({ text: 'Bonjour à tous.', title: 'Salut', license: 'CC0-1.0', metadata: { auteur: 'Anne', file: 'a.jsonl', line: 1 } });
    expect(docs[0]!.license_evidence).toContain('a.jsonl:1');
    expect(rejected).toEqual({ 'files.malformed_json': 1, 'files.not_an_object': 1, 'files.missing_text': 1 });
  });

  it('reads a folder recursively in name order: text files as text, HTML files as raw bytes for the extract stage', async () => {
    await mkdir(join(dir, 'docs', 'sub'), { recursive: true });
    await writeFile(join(dir, 'docs', 'b.txt'), 'Deuxième fichier.');
    await writeFile(join(dir, 'docs', 'a.txt'), 'Premier fichier.');
    await writeFile(join(dir, 'docs', 'sub', 'page.html'), '<p>Une page</p>');
    await writeFile(join(dir, 'docs', 'ignored.csv'), 'a,b');
    const { docs } = await read({ path: 'docs' });
    expect(docs.map((d) => [d.id, d.media_type])).toEqual([
      ['local/a.txt', 'text/plain'],
      ['local/b.txt', 'text/plain'],
      ['local/sub/page.html', 'text/html'],
    ]);
    expect(Buffer.from(docs[2]!.raw!).toString()).toBe('<p>Une page</p>');
    expect(docs[0]!.date_retrieved).toBe('2026-11-30T00:00:00Z');
  });

  it('rejects a text file that is not UTF-8 instead of guessing its encoding', async () => {
    await writeFile(join(dir, 'latin1.txt'), Buffer.from([0x43, 0x61, 0x66, 0xe9]));
    const { docs, rejected } = await read({ path: 'latin1.txt' });
    expect(docs).toEqual([]);
    expect(rejected).toEqual({ 'files.invalid_utf8': 1 });
  });
});
