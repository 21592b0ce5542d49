import { join } from 'node:path';
import type { Doc } from '../pipeline/doc.js';
import type { RejectRecord, RejectsWriter } from '../pipeline/rejects.js';
import type { Stats } from '../pipeline/stats.js';
import { decodeDoc } from './doc-codec.js';
import type { Plan } from './plan.js';
import { finishedUnit, gzipLines, unitDir, unitRejectStages, type UnitMarker } from './unit-store.js';

/** Every unit's marker, in plan order; fails naming the units no task has finished. */
export async function unitMarkers(plan: Plan): Promise<UnitMarker[]> {
  const markers = await Promise.all(plan.units.map((u) => finishedUnit(plan.work_dir, u)));
  const missing = plan.units.filter((_, i) => markers[i] === null);
  if (missing.length > 0) {
    const names = missing.slice(0, 5).map((u) => `${u.source_id}:${u.unit ?? '*'}`).join(', ');
    throw new Error(`${missing.length} of ${plan.units.length} units are not finished (${names}${missing.length > 5 ? ', …' : ''}); relaunch the run to finish them`);
  }
  return markers as UnitMarker[];
}

/**
 * The merge's input: the tasks' stats added into `stats`, their rejects copied into `rejects`
 * record for record, then their documents in the plan's unit order, which is the order a single
 * process would have read them in, so the release does not depend on how many tasks ran. Units of
 * sources outside `liveSources` (taken down since) are left out whole.
 */
export async function* readUnits(plan: Plan, stats: Stats, rejects: RejectsWriter, liveSources?: Set<string>): AsyncIterable<Doc> {
  const markers = await unitMarkers(plan);
  const live = (i: number) => !liveSources || liveSources.has(plan.units[i]!.source_id);
  for (const [i, m] of markers.entries()) if (live(i)) stats.merge(m.stats);
  const units = plan.units.filter((_, i) => live(i));
  for (const unit of units) {
    for (const stage of await unitRejectStages(plan.work_dir, unit.key)) {
      for await (const line of gzipLines(join(unitDir(plan.work_dir, unit.key), 'rejects', `${stage}.jsonl.gz`))) {
        const record = JSON.parse(line) as RejectRecord;
        const { raw_base64, ...rest } = record.doc;
        const doc = (raw_base64 === undefined ? rest : { ...rest, raw: Buffer.from(raw_base64, 'base64') }) as Doc;
        rejects.write(record.stage, record.reason, doc, record.detail);
        const behind = rejects.drained();
        if (behind) await behind;
      }
    }
  }
  for (const unit of units) {
    for await (const line of gzipLines(join(unitDir(plan.work_dir, unit.key), 'docs.jsonl.gz'))) yield decodeDoc(line);
  }
}
