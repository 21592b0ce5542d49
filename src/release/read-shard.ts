import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type FileMetaData } from 'hyparquet';
import { readCompressors as compressors } from './compression.js';
import type { Document } from '../schema/document.js';

export interface ShardReader {
  metadata: FileMetaData;
  /** Rows one row group at a time, so memory stays bounded by the row-group size. */
  rowGroups(): AsyncIterable<Document[]>;
}

/** Opens a shard with hyparquet (zstd through hyparquet-compressors) and turns rows back into `Document`s. */
export async function openShard(path: string): Promise<ShardReader> {
  const file = await asyncBufferFromFile(path);
  const metadata = await parquetMetadataAsync(file);
  return {
    metadata,
    async *rowGroups() {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const rows = await parquetReadObjects({ file, metadata, compressors, rowStart, rowEnd, utf8: true });
        yield rows.map(fromParquetRow);
        rowStart = rowEnd;
      }
    },
  };
}

function fromParquetRow(row: Record<string, unknown>): Document {
  const out = { ...row } as Record<string, unknown>;
  const retrieved = row.date_retrieved;
  if (retrieved instanceof Date) out.date_retrieved = retrieved.toISOString().replace(/\.000Z$/, 'Z');
  // hyparquet parses JSON columns; the row keeps them as the JSON text that was written.
  if (typeof row.metadata !== 'string') out.metadata = JSON.stringify(row.metadata);
  return out as Document;
}
