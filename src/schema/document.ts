import { z } from 'zod';

/** SPDX licence id (e.g. `CC-BY-SA-4.0`) or a `LicenseRef-*` for licences the SPDX list lacks. */
export const LicenseId = z
  .string()
  .regex(/^(LicenseRef-[A-Za-z0-9.-]+|[A-Za-z0-9][A-Za-z0-9.+-]*)$/, 'an SPDX licence id or LicenseRef-*');

/** An instant in UTC, ISO 8601 with the `Z` suffix, so that sorting strings sorts time. */
export const UtcInstant = z.iso.datetime({ offset: false });

/**
 * One row of a published shard. The column order here is the column order of the Parquet files,
 * so changing it is a schema change (bump SHARD_SCHEMA_VERSION).
 */
export const DocumentSchema = z
  .object({
    id: z.string().min(1).describe('stable across runs: derived from the source and its native id'),
    text: z.string(),
    source: z.string().min(1).describe('id of the sources/*.yaml entry the document came from'),
    url: z.string().nullable(),
    title: z.string().nullable(),
    lang: z.string().nullable().describe('ISO 639-1 code when it has one, else ISO 639-3'),
    lang_score: z.number().min(0).max(1).nullable(),
    license: LicenseId,
    license_evidence: z.string().min(1).describe('where the licence was found: a URL, a header, a file'),
    attribution: z.string().nullable(),
    date_published: z.string().nullable().describe('as precise as the source tells: YYYY, YYYY-MM-DD or an instant'),
    date_retrieved: UtcInstant,
    content_sha256: z.string().regex(/^[0-9a-f]{64}$/),
    minhash_cluster_size: z.number().int().min(1),
    metadata: z.string().describe('JSON text with source-specific extras'),
  })
  .strict();
export type Document = z.infer<typeof DocumentSchema>;

export const DOCUMENT_COLUMNS = Object.keys(DocumentSchema.shape) as (keyof Document)[];

/**
 * Version of the shard row layout, written into every Parquet file's key-value metadata.
 * 2: the Document columns are followed by the release's signal columns (manifest `signal_columns`).
 */
export const SHARD_SCHEMA_VERSION = '2';
