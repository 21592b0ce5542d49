import { z } from 'zod';
import { SemVer } from './manifest.js';
import { StageSpec } from '../pipeline/stages.js';
import { LicensePolicyOptions } from '../licenses/policy.js';

const Bytes = z.union([
  z.number().int().positive(),
  z
    .string()
    .regex(/^\d+(\.\d+)?\s*(B|KB|MB|GB|KiB|MiB|GiB)$/, 'a size such as 512MB or 128 MiB')
    .transform(parseBytes),
]);

export function parseBytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(size.trim());
  if (!m) throw new Error(`not a size: ${size}`);
  const unit = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 }[m[2] as 'B'];
  return Math.round(Number(m[1]) * unit);
}

/** A file in `datasets/*.yaml`: which sources feed a dataset, through which stages, into which shards. */
export const RecipeSchema = z
  .object({
    dataset: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"'),
    version: SemVer,
    description: z.string().optional(),
    pretty_name: z.string().optional().describe('human name for the dataset card; default: the dataset id'),
    homepage: z.url().optional().describe("the dataset's web page, for Croissant and DCAT"),
    publisher: z.string().default('villers').describe('who publishes the dataset (Croissant creator, DCAT publisher)'),
    takedowns: z.string().optional().describe('takedowns file, relative to the recipe; default <dataset>.takedowns.yaml beside it'),
    licenses: LicensePolicyOptions.prefault({}).describe('release-time licence policy'),
    sources: z.array(z.string().min(1)).min(1).describe('ids of sources/<id>.yaml'),
    sources_dir: z.string().default('../sources').describe('where the source files are, relative to the recipe'),
    stages: z.array(StageSpec).describe('in flow order: extract, lang, normalise, filter, pii, dedup, license'),
    output: z
      .object({
        config: z.string().regex(/^[A-Za-z0-9_-]+$/).default('default'),
        split: z.string().regex(/^[a-z]+$/).default('train'),
        shard_target_bytes: Bytes.default(512 * 1e6).describe('a shard is closed once its file reaches this size'),
        row_group_bytes: Bytes.default(128 * 1e6).describe('in-memory text per row group (the Hub advises 100-300 MB)'),
        compression: z.enum(['zstd', 'snappy']).default('zstd'),
        zstd_level: z.number().int().min(1).max(22).default(3),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Recipe = z.output<typeof RecipeSchema>;
export type RecipeInput = z.input<typeof RecipeSchema>;
