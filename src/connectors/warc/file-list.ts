import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { z } from 'zod';
import { openDecoded, type OpenOptions } from '../io/archive-input.js';
import { replaceFileSync } from '../../storage/replace-file.js';

/**
 * Common Crawl publishes each crawl as a `warc.paths.gz` (or `wet.paths.gz`) listing: one path per
 * line, relative to https://data.commoncrawl.org/. We read it streamed, local or over HTTP.
 */
export async function readPathsListing(target: string, baseUrl: string, open: OpenOptions, limit?: number): Promise<string[]> {
  const bytes = await openDecoded(target, open);
  const lines = createInterface({ input: Readable.from(bytes), crlfDelay: Infinity });
  const out: string[] = [];
  for await (const line of lines) {
    const p = line.trim();
    if (!p || p.startsWith('#')) continue;
    out.push(/^https?:\/\//i.test(p) || p.startsWith('/') ? p : new URL(p, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`).toString());
    if (limit !== undefined && out.length >= limit) break;
  }
  lines.close();
  return out;
}

/**
 * Which archive files are finished, on disk, rewritten atomically after each one: a killed run
 * restarts at the first unfinished file (a file is the unit of work, as it is for Common Crawl's
 * own tools), so nothing is read twice across files.
 */
export const FileCheckpoint = z
  .object({
    version: z.literal(1),
    done: z.array(z.object({ file: z.string(), records: z.number().int().min(0), docs: z.number().int().min(0), at: z.string() }).strict()),
  })
  .strict();
export type FileCheckpoint = z.infer<typeof FileCheckpoint>;

export function loadFileCheckpoint(path: string): FileCheckpoint {
  if (!existsSync(path)) return { version: 1, done: [] };
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`checkpoint ${path} is not JSON (${(e as Error).message}); delete it to start again`);
  }
  const parsed = FileCheckpoint.safeParse(json);
  if (!parsed.success) throw new Error(`checkpoint ${path} is not a file checkpoint: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function saveFileCheckpoint(path: string, c: FileCheckpoint): void {
  mkdirSync(dirname(path), { recursive: true });
  replaceFileSync(path, JSON.stringify(c) + '\n');
}
