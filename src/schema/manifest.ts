import { z } from 'zod';
import { LicenseId, UtcInstant } from './document.js';

export const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
export const SemVer = z.string().regex(/^\d+\.\d+\.\d+$/, 'a semantic version MAJOR.MINOR.PATCH');

export const ShardEntry = z
  .object({
    path: z.string().describe('relative to the version folder'),
    rows: z.number().int().min(0),
    bytes: z.number().int().min(0),
    sha256: Sha256,
    text_chars: z.number().int().min(0).describe('sum of the text lengths in Unicode code points'),
    sources: z.array(z.string()).optional().describe('ids of the sources with rows in this shard'),
    licenses: z.array(z.string()).optional().describe('licences of the rows in this shard'),
  })
  .strict();
export type ShardEntry = z.infer<typeof ShardEntry>;

export const SignalColumn = z
  .object({
    name: z.string().regex(/^signal_[a-z0-9_]+$/).describe('the shard column'),
    stage: z.string().describe('the stage that measured it'),
    signal: z.string().describe('its name in the stage (and in metadata.signals.<stage>)'),
    type: z.enum(['double', 'boolean', 'string']),
  })
  .strict();
export type SignalColumn = z.infer<typeof SignalColumn>;

export const StageStats = z
  .object({
    in: z.number().int(),
    out: z.number().int(),
    bytes_in: z.number().int(),
    bytes_out: z.number().int(),
    ms: z.number(),
    rejected: z.record(z.string(), z.number().int()),
    counts: z.record(z.string(), z.number()).optional().describe("the stage's own counters (paragraphs removed, PII redacted by kind, ...)"),
  })
  .strict();
export type StageStats = z.infer<typeof StageStats>;

export const FileEntry = z
  .object({ path: z.string().describe('relative to the version folder'), bytes: z.number().int().min(0), sha256: Sha256 })
  .strict();
export type FileEntry = z.infer<typeof FileEntry>;

export const TakedownEntry = z
  .object({
    id: z.string().optional().describe('a document id'),
    url_prefix: z.string().optional().describe('every document whose URL starts with this'),
    source: z.string().optional().describe('a whole source'),
    reason: z.string().min(1),
    date: z.string().describe('when the takedown was requested, YYYY-MM-DD'),
  })
  .strict()
  .refine((t) => [t.id, t.url_prefix, t.source].filter((v) => v !== undefined).length === 1, 'exactly one of id, url_prefix, source');
export type TakedownEntry = z.infer<typeof TakedownEntry>;

const Delta = z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() }).strict();

/** What a version changed against the one before it, and the semantic-version bump that follows (Croissant's rules). */
export const ChangeSummary = z
  .object({
    bump: z.enum(['initial', 'major', 'minor', 'patch']),
    previous_version: SemVer.nullable(),
    reason: z.string(),
    added: z.number().int(),
    removed: z.number().int(),
    changed: z.number().int(),
    unchanged: z.number().int(),
    by_source: z.record(z.string(), Delta),
    takedowns: z.array(z.object({ entry: TakedownEntry, removed: z.number().int() }).strict()).describe('takedowns in force and how many documents of the previous version each removed'),
  })
  .strict();
export type ChangeSummary = z.infer<typeof ChangeSummary>;

export const LicenseSummary = z
  .object({
    expression: z.string().describe('SPDX expression of the licences the dataset holds, e.g. etalab-2.0 AND CC-BY-SA-4.0'),
    share_alike: z.string().nullable().describe('the share-alike licence that governs the compilation, when there is one'),
    allow: z.array(z.string()).describe('the recipe allow-list'),
    notes: z.array(z.string()),
  })
  .strict();

export const AttributionEntry = z
  .object({
    source: z.string(),
    licenses: z.array(z.string()),
    authors: z.array(z.string()).describe('distinct `attribution` values of the documents, sorted'),
  })
  .strict();
export type AttributionEntry = z.infer<typeof AttributionEntry>;

export const ReleaseManifestSchema = z
  .object({
    manifest_version: z.literal(1),
    dataset: z.string(),
    version: SemVer,
    created: UtcInstant,
    description: z.string().optional(),
    pretty_name: z.string(),
    homepage: z.string().optional(),
    publisher: z.string(),
    recipe_sha256: Sha256,
    shard_schema_version: z.string(),
    config: z.string(),
    compression: z.enum(['ZSTD', 'SNAPPY']),
    sources: z.array(
      z
        .object({
          id: z.string(),
          name: z.string(),
          connector: z.string(),
          license: LicenseId.optional(),
          license_evidence: z.string().optional(),
          homepage: z.string().optional(),
        })
        .strict(),
    ),
    shards: z.array(ShardEntry),
    signal_columns: z
      .array(SignalColumn)
      .default([])
      .describe('the shard columns after the Document columns: one per signal a stage measured, null where a document lacks it'),
    totals: z.object({ documents: z.number().int(), bytes: z.number().int(), text_chars: z.number().int() }).strict(),
    counts_by_license: z.record(z.string(), z.number().int()),
    counts_by_source: z.record(z.string(), z.number().int()),
    stages: z.record(z.string(), StageStats),
    counts_by_lang: z.record(z.string(), z.number().int()),
    filters: z.array(z.record(z.string(), z.unknown())).describe('the recipe stages with their options, in flow order'),
    license: LicenseSummary,
    attribution: z.array(AttributionEntry).describe('per source, who the licences require to be credited'),
    changes: ChangeSummary,
    files: z.array(FileEntry).describe('every other file of the version folder (card, Croissant, DCAT, ...), manifest.json excepted'),
  })
  .strict();
export type ReleaseManifest = z.infer<typeof ReleaseManifestSchema>;
