import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compose, type Stage } from '../../src/pipeline/stage.js';
import { createContext } from '../../src/pipeline/context.js';
import { makeDoc, type Doc } from '../../src/pipeline/doc.js';
import { RejectsWriter } from '../../src/pipeline/rejects.js';
import { Stats } from '../../src/pipeline/stats.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { noProgress } from '../../src/pipeline/progress.js';

async function* from(docs: Doc[]): AsyncIterable<Doc> {
  yield* docs;
}
async function collect(it: AsyncIterable<Doc>): Promise<Doc[]> {
  const out: Doc[] = [];
  for await (const d of it) out.push(d);
  return out;
}
const doc = (id: string, text: string) => makeDoc({ id, source: 't', text, date_retrieved: '2026-01-01T00:00:00Z' });

/** Drops documents whose text is shorter than `min` characters. */
const minLength = (min: number): Stage =>
  async function* (docs, ctx) {
    for await (const d of docs) {
      if (d.text.length < min) ctx.reject(d, 'short', 'short.too_short', { chars: d.text.length });
      else yield d;
    }
  };

describe('composed stages', () => {
  it('count in, out and bytes per stage, and every document that enters leaves or is rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ maxLength: 12 }), { maxLength: 40 }), fc.integer({ min: 0, max: 8 }), async (texts, min) => {
        const dir = await mkdtemp(join(tmpdir(), 'villers-stage-'));
        const stats = new Stats();
        const rejects = new RejectsWriter(dir);
        const ctx = createContext({ stats, rejects, log: silentLogger, progress: noProgress });
        const kept = await collect(compose([{ name: 'short', stage: minLength(min) }])(from(texts.map((t, i) => doc(String(i), t))), ctx));
        await rejects.close();
        await rm(dir, { recursive: true, force: true });
        const s = stats.stage('short');
        expect(s.in).toBe(texts.length);
        expect(s.out).toBe(kept.length);
        expect(s.out + (s.rejected['short.too_short'] ?? 0)).toBe(s.in);
        expect(s.bytes_in).toBe(texts.reduce((a, t) => a + Buffer.byteLength(t), 0));
        expect(kept.map((d) => d.text)).toEqual(texts.filter((t) => t.length >= min));
      }),
      { numRuns: 50 },
    );
  });

  it('run in the order given, each seeing the output of the one before', async () => {
    const tag = (label: string): Stage =>
      async function* (docs) {
        for await (const d of docs) yield { ...d, text: d.text + label };
      };
    const ctx = createContext({ stats: new Stats(), rejects: new RejectsWriter(tmpdir()), log: silentLogger, progress: noProgress });
    const out = await collect(compose([{ name: 'a', stage: tag('a') }, { name: 'b', stage: tag('b') }])(from([doc('1', '')]), ctx));
    expect(out[0]!.text).toBe('ab');
  });

  it('write each rejected document to rejects/<stage>.jsonl.gz with its reason and detail', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'villers-rejects-'));
    const stats = new Stats();
    const rejects = new RejectsWriter(dir);
    const ctx = createContext({ stats, rejects, log: silentLogger, progress: noProgress });
    await collect(compose([{ name: 'short', stage: minLength(5) }])(from([doc('a', 'abc'), doc('b', 'abcdef')]), ctx));
    await rejects.close();
    const lines = gunzipSync(await readFile(join(dir, 'short.jsonl.gz'))).toString().trim().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ stage: 'short', reason: 'short.too_short', detail: { chars: 3 }, doc: expect.objectContaining({ id: 'a', text: 'abc' }) }),
    ]);
    await rm(dir, { recursive: true, force: true });
  });
});
