import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import xxhash from 'xxhash-wasm';
import { defineStage } from '../pipeline/stage.js';
import type { Doc } from '../pipeline/doc.js';
import { foldForDedup } from '../text/fold.js';
import { readLines } from './partitions.js';
import { DocSpill, restoreDoc } from './spill.js';
import { mergeRuns, RunReader, writeSortedRun } from './runs.js';

export const BoilerplateOptions = z
  .object({
    stage: z.literal('dedup_boilerplate'),
    unit: z.enum(['line', 'paragraph']).default('line').describe('what is compared: lines, or paragraphs separated by blank lines'),
    group_by: z.enum(['site', 'source']).default('site').describe('site: the host of the URL (the source when there is none)'),
    min_docs: z.number().int().min(2).default(3).describe('a unit is boilerplate when at least this many documents of the group have it'),
    min_fraction: z.number().min(0).max(1).default(0).describe('…and at least this fraction of the group\'s documents'),
    min_chars: z.number().int().min(0).default(1).describe('units with fewer folded characters are left alone'),
    spill_bytes: z.number().int().min(1024).default(64 * 1024 * 1024),
    temp_dir: z.string().optional(),
  })
  .strict();
export type BoilerplateOptions = z.output<typeof BoilerplateOptions>;

/** A document's units and the separators around them, so removal keeps the rest as written. */
export function splitUnits(text: string, unit: BoilerplateOptions['unit']): string[] {
  return unit === 'line' ? text.split(/(\r?\n)/) : text.split(/(\r?\n[ \t]*\r?\n\s*)/);
}

function groupOf(doc: Doc, by: BoilerplateOptions['group_by']): string {
  if (by === 'site' && doc.url) {
    try {
      return `site:${new URL(doc.url).host.toLowerCase()}`;
    } catch {
      /* an unparsable URL groups by source */
    }
  }
  return `source:${doc.source}`;
}

const MASK32 = 0xffffffffn;
/** Unit keys in memory: 53 of the 64 bits, exact as Map keys, collisions negligible. */
const key53 = (hi: number, lo: number) => (hi & 0x1fffff) * 4294967296 + lo;
/** Records of (unit key, group) per sorted run file: bounds the memory of counting. */
const RUN_RECORDS = 1 << 22;

/**
 * CCNet-style boilerplate removal: lines (or paragraphs) that many documents of the same site or
 * source repeat (menus, legal notices, cookie banners) are removed from all of them. A barrier:
 * documents are spilled to disk and their units' keys sorted in runs on disk, the runs merged to
 * find the repeated units (the only ones held in memory), then the documents read back and
 * cleaned. A document left with no text is rejected as `dedup_boilerplate.only_boilerplate`.
 */
export const boilerplateStage = defineStage({
  name: 'dedup_boilerplate',
  phase: 'dedup',
  options: BoilerplateOptions,
  async create(o) {
    const { h64 } = await xxhash();
    const unitKey = (group: string, folded: string) => h64(`${group}\u0000${folded}`);
    return async function* (docs, ctx) {
      const spill = new DocSpill(o.spill_bytes, o.temp_dir);
      const groupIds = new Map<string, number>();
      const groupDocs: number[] = [];
      const runs: string[] = [];
      let recs = new Uint32Array(3 * 4096);
      let count = 0;
      const runsDir = join(spill.dir, 'units');
      mkdirSync(runsDir);
      const flushRun = () => {
        const file = join(runsDir, `run-${runs.length}.bin`);
        writeSortedRun(file, recs, count);
        runs.push(file);
        count = 0;
      };
      try {
        // Pass 1: spill the documents; one (unit, group) record per distinct unit of a document,
        // sorted in runs on disk, so that counting holds only the units found repeated.
        for await (const doc of docs) {
          spill.write(doc);
          const group = groupOf(doc, o.group_by);
          let g = groupIds.get(group);
          if (g === undefined) {
            g = groupDocs.length;
            groupIds.set(group, g);
            groupDocs.push(0);
          }
          groupDocs[g]!++;
          const seen = new Set<bigint>();
          const parts = splitUnits(doc.text, o.unit);
          for (let i = 0; i < parts.length; i += 2) {
            const folded = foldForDedup(parts[i]!);
            if (folded.length < o.min_chars) continue;
            const k = unitKey(group, folded);
            if (seen.has(k)) continue;
            seen.add(k);
            if (3 * count + 3 > recs.length) {
              if (count >= RUN_RECORDS) flushRun();
              else {
                const grown = new Uint32Array(recs.length * 2);
                grown.set(recs);
                recs = grown;
              }
            }
            recs[3 * count] = Number(k >> 32n);
            recs[3 * count + 1] = Number(k & MASK32);
            recs[3 * count + 2] = g;
            count++;
          }
        }
        if (count > 0 || runs.length === 0) flushRun();
        recs = new Uint32Array(0);
        const boilerplate = new Set<number>();
        mergeRuns(
          runs.map((f) => new RunReader(f, 0)),
          (groups, n, hi, lo) => {
            const g = groups[0]!;
            if (n >= Math.max(o.min_docs, Math.ceil(o.min_fraction * groupDocs[g]!))) boilerplate.add(key53(hi, lo));
          },
        );
        const isBoilerplate = (group: string, folded: string) => {
          const k = unitKey(group, folded);
          return boilerplate.has(key53(Number(k >> 32n), Number(k & MASK32)));
        };
        for (const file of spill.finish()) {
          for (const line of readLines({ file, start: 0, end: Number.MAX_SAFE_INTEGER })) {
            const doc = restoreDoc(JSON.parse(line) as Record<string, unknown>);
            const group = groupOf(doc, o.group_by);
            const parts = splitUnits(doc.text, o.unit);
            const kept: string[] = [];
            let removed = 0;
            for (let i = 0; i < parts.length; i += 2) {
              const folded = foldForDedup(parts[i]!);
              const boiler = folded.length >= o.min_chars && isBoilerplate(group, folded);
              if (boiler) removed++;
              else {
                if (kept.length > 0) kept.push(parts[i - 1]!);
                kept.push(parts[i]!);
              }
            }
            if (removed === 0) {
              yield doc;
              continue;
            }
            const text = kept.join('').trim();
            if (text === '') {
              ctx.reject(doc, 'dedup_boilerplate', 'dedup_boilerplate.only_boilerplate', { units_removed: removed });
              continue;
            }
            doc.text = text;
            doc.metadata = { ...doc.metadata, boilerplate_units_removed: removed };
            yield doc;
          }
        }
      } finally {
        spill.finish();
        rmSync(spill.dir, { recursive: true, force: true });
      }
    };
  },
});
