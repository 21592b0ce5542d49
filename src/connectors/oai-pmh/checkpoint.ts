import { existsSync, readFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { replaceFileSync } from '../../storage/replace-file.js';

/**
 * Where a harvest stands, on disk, rewritten (atomically: write then rename) after every record the
 * consumer has taken. A killed harvest restarts at `token` (null: the first request) and skips the
 * `taken` records of that page it had already handed out: nothing twice, nothing lost.
 */
export const HarvestCheckpoint = z
  .object({
    version: z.literal(1),
    harvest: z.object({ base_url: z.string(), metadata_prefix: z.string(), set: z.string().nullable(), until: z.string().nullable() }).strict(),
    from: z.string().nullable(),
    token: z.string().nullable(),
    page: z.number().int().min(1),
    taken: z.number().int().min(0),
    records: z.number().int().min(0),
    takedowns: z.number().int().min(0),
    /** responseDate of the harvest's first page: the `from` of the next incremental run. */
    started_at: z.string().nullable(),
    done: z.boolean(),
  })
  .strict();
export type HarvestCheckpoint = z.infer<typeof HarvestCheckpoint>;

export function loadCheckpoint(path: string): HarvestCheckpoint | null {
  if (!existsSync(path)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`checkpoint ${path} is not JSON (${(e as Error).message}); delete it to harvest from the start`);
  }
  const parsed = HarvestCheckpoint.safeParse(json);
  if (!parsed.success) throw new Error(`checkpoint ${path} is not a harvest checkpoint: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function saveCheckpoint(path: string, c: HarvestCheckpoint): void {
  mkdirSync(dirname(path), { recursive: true });
  replaceFileSync(path, JSON.stringify(c) + '\n');
}
