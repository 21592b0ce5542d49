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
  })
  .strict();
export type ShardEntry = z.infer<typeof ShardEntry>;

export const StageStats = z
  .object({
    in: z.number().int(),
    out: z.number().int(),
    bytes_in: z.number().int(),
    bytes_out: z.number().int(),
    ms: z.number(),
    rejected: z.record(z.string(), z.number().int()),
  })
  .strict();
export type StageStats = z.infer<typeof StageStats>;

export const ReleaseManifestSchema = z
  .object({
    manifest_version: z.literal(1),
    dataset: z.string(),
    version: SemVer,
    created: UtcInstant,
    description: z.string().optional(),
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
    totals: z.object({ documents: z.number().int(), bytes: z.number().int(), text_chars: z.number().int() }).strict(),
    counts_by_license: z.record(z.string(), z.number().int()),
    counts_by_source: z.record(z.string(), z.number().int()),
    stages: z.record(z.string(), StageStats),
  })
  .strict();
export type ReleaseManifest = z.infer<typeof ReleaseManifestSchema>;
