import type { StageStats } from '../schema/manifest.js';

/** Counters of every stage of a run, shared by all stages and merged across tasks. */
export class Stats {
  readonly stages = new Map<string, StageStats>();

  stage(name: string): StageStats {
    let s = this.stages.get(name);
    if (!s) {
      s = { in: 0, out: 0, bytes_in: 0, bytes_out: 0, ms: 0, rejected: {} };
      this.stages.set(name, s);
    }
    return s;
  }

  countReject(stage: string, reason: string): void {
    const rejected = this.stage(stage).rejected;
    rejected[reason] = (rejected[reason] ?? 0) + 1;
  }

  /** Adds to one of a stage's own counters (`counts` in stats.json). */
  count(stage: string, counter: string, n = 1): void {
    const counts = (this.stage(stage).counts ??= {});
    counts[counter] = (counts[counter] ?? 0) + n;
  }

  merge(other: Record<string, StageStats>): void {
    for (const [name, o] of Object.entries(other)) {
      const s = this.stage(name);
      s.in += o.in;
      s.out += o.out;
      s.bytes_in += o.bytes_in;
      s.bytes_out += o.bytes_out;
      s.ms += o.ms;
      for (const [reason, n] of Object.entries(o.rejected)) s.rejected[reason] = (s.rejected[reason] ?? 0) + n;
      for (const [counter, n] of Object.entries(o.counts ?? {})) this.count(name, counter, n);
    }
  }

  toJSON(): Record<string, StageStats> {
    const out: Record<string, StageStats> = {};
    for (const [name, s] of this.stages) {
      out[name] = { ...s, ms: Math.round(s.ms * 1000) / 1000 };
      if (s.counts) out[name].counts = Object.fromEntries(Object.entries(s.counts).sort(([a], [b]) => (a < b ? -1 : 1)));
    }
    return out;
  }
}
