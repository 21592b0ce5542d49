import { asyncBufferFromFile, asyncBufferFromUrl, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer } from 'hyparquet';
import { readCompressors as compressors } from '../../release/compression.js';
import { fetch } from 'undici';
import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import { mapLicense } from '../../licenses/table.js';
import { expandTargets, isUrl, resolveTarget, targetName } from '../io/archive-input.js';

export const ParquetOptions = z
  .object({
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe('Parquet files, folders or URLs (read over HTTP with range requests)'),
    fields: z
      .object({
        text: z.string().default('text'),
        id: z.string().nullable().default('id'),
        title: z.string().nullable().default('title'),
        url: z.string().nullable().default('url'),
        license: z.string().nullable().default('license').describe('column holding each row\'s licence (an SPDX id or any statement the licence table maps)'),
        attribution: z.string().nullable().default('attribution'),
        date_published: z.string().nullable().default('date_published'),
      })
      .strict()
      .prefault({})
      .describe('which column fills which document field; null: none'),
    metadata_columns: z.array(z.string()).default([]).describe('other columns copied into metadata'),
    batch_rows: z.number().int().positive().default(10_000).describe('rows decoded at a time (memory bound)'),
    max_text_chars: z.number().int().positive().default(10_000_000),
  })
  .strict();
export type ParquetOptions = z.output<typeof ParquetOptions>;

async function openBuffer(target: string): Promise<AsyncBuffer> {
  if (!isUrl(target)) return asyncBufferFromFile(target);
  return asyncBufferFromUrl({ url: target, fetch: fetch as unknown as typeof globalThis.fetch });
}

const asString = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : typeof v === 'bigint' || typeof v === 'number' ? String(v) : v instanceof Date ? v.toISOString() : null);

/**
 * Parquet datasets (Hugging Face exports, data.gouv.fr Parquet, our own releases), local or over
 * HTTP with range requests: only the footer and the needed column chunks travel. Columns map to
 * document fields by configuration, so an open French dataset can be refiltered and republished
 * with the licence each row (or the source) declares.
 */
export const parquetConnector = defineConnector({
  name: 'parquet',
  options: ParquetOptions,
  async *read(o, input, ctx) {
    const targets = (Array.isArray(o.input) ? o.input : [o.input]).map((t) => resolveTarget(input.baseDir, t));
    const files = await expandTargets(targets, (n) => /\.parquet$/i.test(n));
    const f = o.fields;
    const stage = 'parquet';
    for (const file of files) {
      const name = isUrl(file) ? file : targetName(file);
      const retrieved = input.source.date_retrieved ?? new Date().toISOString();
      let buffer: AsyncBuffer;
      let metadata;
      try {
        buffer = await openBuffer(file);
        metadata = await parquetMetadataAsync(buffer);
      } catch (e) {
        ctx.reject(makeDoc({ id: `${input.source.id}/${name}`, source: input.source.id, text: '', date_retrieved: retrieved, metadata: { file: name } }), stage, `${stage}.unreadable_file`, { file: name, error: (e as Error).message });
        continue;
      }
      const schemaColumns = new Set(metadata.schema.slice(1).map((s) => s.name));
      if (!schemaColumns.has(f.text)) throw new Error(`parquet: ${name} has no text column "${f.text}" (columns: ${[...schemaColumns].join(', ')}); set fields.text`);
      const wanted = [f.text, f.id, f.title, f.url, f.license, f.attribution, f.date_published, ...o.metadata_columns].filter((c): c is string => c !== null && schemaColumns.has(c));
      const total = Number(metadata.num_rows);
      for (let start = 0; start < total; start += o.batch_rows) {
        const end = Math.min(total, start + o.batch_rows);
        const rows = (await parquetReadObjects({ file: buffer, metadata, columns: [...new Set(wanted)], rowStart: start, rowEnd: end, compressors })) as Record<string, unknown>[];
        for (const [i, row] of rows.entries()) {
          const rowNo = start + i;
          const get = (c: string | null) => (c && schemaColumns.has(c) ? asString(row[c]) : null);
          const nativeId = get(f.id) ?? `${name}:${rowNo}`;
          const extras = Object.fromEntries(o.metadata_columns.map((c) => [c, row[c] ?? null]));
          const base = { id: `${input.source.id}/${nativeId}`, source: input.source.id, date_retrieved: retrieved, url: get(f.url), title: get(f.title), metadata: { ...extras, file: name, row: rowNo } };
          const text = get(f.text);
          if (text === null) {
            ctx.reject(makeDoc({ ...base, text: '' }), stage, `${stage}.missing_text`, { file: name, row: rowNo, column: f.text });
            continue;
          }
          if (text.length > o.max_text_chars) {
            ctx.reject(makeDoc({ ...base, text: '' }), stage, `${stage}.text_too_long`, { file: name, row: rowNo, chars: text.length });
            continue;
          }
          let license = input.source.license ?? null;
          let evidence = input.source.license ? (input.source.license_evidence ?? `source ${input.source.id}`) : null;
          const rowLicense = get(f.license);
          if (rowLicense) {
            const m = mapLicense(rowLicense, `${name} row ${rowNo} column "${f.license}"`);
            if (!m.ok) {
              ctx.reject(makeDoc({ ...base, text }), stage, `${stage}.license_${m.reason}`, { file: name, row: rowNo, raw: rowLicense, why: m.why });
              continue;
            }
            license = m.id;
            evidence = m.evidence;
          }
          yield makeDoc({ ...base, text, license, license_evidence: evidence, attribution: get(f.attribution) ?? input.source.attribution ?? null, date_published: get(f.date_published) });
        }
      }
    }
  },
});
