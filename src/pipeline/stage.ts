import type { z } from 'zod';
import type { Doc } from './doc.js';
import type { RunContext } from './context.js';
import { docBytes } from './doc.js';
import type { BarrierOptions } from '../dedup/barrier.js';

export type Stage = (docs: AsyncIterable<Doc>, ctx: RunContext) => AsyncIterable<Doc>;

/**
 * Where a stage sits in the one-way flow source → extract → lang → normalise → filter → pii → dedup
 * → licence. A recipe must list its stages in this order.
 */
export const PHASES = ['extract', 'lang', 'normalise', 'filter', 'pii', 'dedup', 'license'] as const;
export type Phase = (typeof PHASES)[number];

/** A stage as a recipe names it: its options schema (with `stage: <name>`) and how to build it. */
export interface StageDefinition<Options extends z.ZodObject = z.ZodObject> {
  name: string;
  phase: Phase;
  options: Options;
  create(options: z.output<Options>, ctx: RunContext): Stage | Promise<Stage>;
  /**
   * For a stage that is a dedup barrier (it reads everything before emitting): its dedup options,
   * so that a run can prepare its steps on the units the tasks write instead of spilling them again.
   */
  barrier?(options: z.output<Options>): BarrierOptions | null;
}

export function defineStage<Options extends z.ZodObject>(def: StageDefinition<Options>): StageDefinition<Options> {
  return def;
}

/**
 * Wraps a stage so that its counters (in, out, bytes, own time) land in the shared stats. Time is
 * the stage's own: what is spent waiting on the stage upstream is subtracted.
 */
export function instrument(name: string, stage: Stage): Stage {
  return async function* (docs, ctx) {
    const s = ctx.stats.stage(name);
    let upstreamMs = 0;
    async function* counted(): AsyncIterable<Doc> {
      const it = docs[Symbol.asyncIterator]();
      for (;;) {
        const t0 = performance.now();
        const r = await it.next();
        upstreamMs += performance.now() - t0;
        if (r.done) return;
        s.in++;
        s.bytes_in += docBytes(r.value);
        yield r.value;
      }
    }
    const out = stage(counted(), ctx)[Symbol.asyncIterator]();
    for (;;) {
      const t0 = performance.now();
      const before = upstreamMs;
      const r = await out.next();
      s.ms += performance.now() - t0 - (upstreamMs - before);
      if (r.done) return;
      s.out++;
      s.bytes_out += docBytes(r.value);
      yield r.value;
    }
  };
}

/** Chains stages: the output of each is the input of the next. */
export function compose(stages: { name: string; stage: Stage }[]): Stage {
  return (docs, ctx) => stages.reduce<AsyncIterable<Doc>>((acc, { name, stage }) => instrument(name, stage)(acc, ctx), docs);
}
