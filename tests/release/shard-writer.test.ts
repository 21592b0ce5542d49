import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { DuckDBInstance } from '@duckdb/node-api';
import { ShardWriter } from '../../src/release/shard-writer.js';
import { SignalColumns } from '../../src/release/signal-columns.js';
import type { Document } from '../../src/schema/document.js';

const doc = (i: number): Document => {
  const text = `Paragraphe ${i} : ${'la rivière coule sous le pont de pierre, '.repeat(40)}${i}`;
  return {
    id: `t/${i}`, text, source: i % 2 ? 'a' : 'b', url: null, title: null, lang: 'fr', lang_score: 0.99, license: 'CC0-1.0',
    license_evidence: 'test', attribution: null, date_published: null, date_retrieved: '2026-01-01T00:00:00Z',
    content_sha256: createHash('sha256').update(text).digest('hex'), minhash_cluster_size: 1, metadata: '{}',
  };
};

describe('shards', () => {
  it('write a page index when a column chunk spans pages, zstd, and record the sources each shard holds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'villers-shard-'));
    try {
      const w = new ShardWriter({ dir, split: 'train', targetBytes: 512e6, rowGroupBytes: 128e6, compression: 'zstd', zstdLevel: 3, kvMetadata: { 'villers.schema_version': '2' }, createdBy: 'test', signals: new SignalColumns() });
      for (let i = 0; i < 3000; i++) await w.add(doc(i));
      const [shard] = await w.finish();
      expect(shard).toMatchObject({ path: 'train-00000-of-00001.parquet', rows: 3000, sources: ['a', 'b'], licenses: ['CC0-1.0'] });
      const meta = await parquetMetadataAsync(await asyncBufferFromFile(join(dir, shard!.path)));
      const text = meta.row_groups[0]!.columns[1]!;
      expect(text.meta_data!.codec).toBe('ZSTD');
      expect(text.offset_index_offset).toBeDefined();
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${join(dir, shard!.path)}') WHERE id = 't/2999'`);
      expect((r.getRowObjects()[0] as { n: number }).n).toBe(1);
      conn.closeSync();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('write each signal as a typed column that DuckDB filters on; a signal the first row lacked stays in metadata', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'villers-shard-'));
    try {
      const signals = new SignalColumns();
      const w = new ShardWriter({ dir, split: 'train', targetBytes: 512e6, rowGroupBytes: 128e6, compression: 'zstd', zstdLevel: 3, kvMetadata: {}, createdBy: 'test', signals });
      for (let i = 0; i < 100; i++) {
        const measured = { fineweb: { line_punct_ratio: i / 100, reason_checked: true }, lang: { fasttext_lang: i % 2 ? 'fr' : 'oc' }, ...(i === 7 ? { pii: { email: 2 } } : {}) };
        const { values, rest } = signals.split(measured);
        await w.add({ ...doc(i), metadata: JSON.stringify(rest ? { signals: rest } : {}) }, values);
      }
      expect(signals.columns.map((c) => [c.name, c.type])).toEqual([
        ['signal_fineweb_line_punct_ratio', 'double'],
        ['signal_fineweb_reason_checked', 'boolean'],
        ['signal_lang_fasttext_lang', 'string'],
      ]);
      const [shard] = await w.finish();
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const path = join(dir, shard!.path);
      const r = await conn.runAndReadAll(
        `SELECT count(*)::INTEGER AS n, bool_and(signal_fineweb_reason_checked) AS all_checked, count(*) FILTER (WHERE signal_lang_fasttext_lang = 'oc')::INTEGER AS oc FROM read_parquet('${path}') WHERE signal_fineweb_line_punct_ratio >= 0.9`,
      );
      expect(r.getRowObjects()[0]).toEqual({ n: 10, all_checked: true, oc: 5 });
      const left = await conn.runAndReadAll(`SELECT id, json_extract(metadata, '$.signals.pii.email')::INTEGER AS email FROM read_parquet('${path}') WHERE json_extract(metadata, '$.signals') IS NOT NULL`);
      expect(left.getRowObjects()).toEqual([{ id: 't/7', email: 2 }]);
      conn.closeSync();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
