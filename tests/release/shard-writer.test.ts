import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { DuckDBInstance } from '@duckdb/node-api';
import { ShardWriter } from '../../src/release/shard-writer.js';
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
      const w = new ShardWriter({ dir, split: 'train', targetBytes: 512e6, rowGroupBytes: 128e6, compression: 'zstd', zstdLevel: 3, kvMetadata: { 'villers.schema_version': '1' }, createdBy: 'test' });
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
});
