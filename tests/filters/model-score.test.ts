import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadClassifier, ModelScoreOptions, modelScoreStage, type Classifier } from '../../src/filters/model-score.js';
import { getSignals } from '../../src/filters/signals.js';
import { makeDoc, type Doc } from '../../src/pipeline/doc.js';
import type { RunContext } from '../../src/pipeline/context.js';
import { StageSpec } from '../../src/pipeline/stages.js';
import { expectedScore, writeTinyClassifier } from './tiny-model.js';

// Words that push the "high" label up (positive) or down (negative); every other word weighs 0.
const WORDS = { théorème: 3, démonstration: 3, exercice: 2, leçon: 2, promo: -3, gratuit: -3, cliquez: -2 };
const EDUCATIONAL = 'Leçon 4 : la démonstration du théorème de Pythagore, suivie d’un exercice corrigé.';
const SPAM = 'Cliquez ici : promo gratuit, gratuit, gratuit !';
const PLAIN = 'Le marché ouvre le samedi matin sur la place de la mairie.';

let root: string;
let modelDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'villers-model-'));
  modelDir = writeTinyClassifier(root, 'tiny-edu', WORDS);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function collectingContext(): { ctx: RunContext; rejects: { doc: Doc; reason: string; detail: unknown }[] } {
  const rejects: { doc: Doc; reason: string; detail: unknown }[] = [];
  const ctx = { reject: (doc: Doc, _stage: string, reason: string, detail?: unknown) => rejects.push({ doc, reason, detail }) } as unknown as RunContext;
  return { ctx, rejects };
}

async function run(options: Record<string, unknown>, texts: string[]) {
  const { ctx, rejects } = collectingContext();
  const stage = await modelScoreStage.create(ModelScoreOptions.parse({ stage: 'model_score', model: modelDir, ...options }), ctx);
  async function* input() {
    for (const [i, text] of texts.entries()) yield makeDoc({ id: `d${i}`, source: 'test', text, date_retrieved: '2026-01-01' });
  }
  const kept: Doc[] = [];
  for await (const doc of stage(input(), ctx)) kept.push(doc);
  return { kept, rejects };
}

describe('model_score through @huggingface/transformers and onnxruntime', () => {
  let classify: Classifier;
  beforeAll(async () => {
    classify = await loadClassifier(modelDir);
  });

  it('gives the scores the hand-built network computes, higher for the educational text', async () => {
    const [edu, spam, plain] = await classify([EDUCATIONAL, SPAM, PLAIN]);
    expect(edu!.high).toBeCloseTo(expectedScore(EDUCATIONAL, WORDS), 5);
    expect(spam!.high).toBeCloseTo(expectedScore(SPAM, WORDS), 5);
    expect(plain!.high).toBeCloseTo(0.5, 5);
    expect(edu!.high).toBeGreaterThan(0.6);
    expect(spam!.high).toBeLessThan(0.3);
    for (const s of [edu!, spam!, plain!]) expect(s.high! + s.low!).toBeCloseTo(1, 5);
  });

  it('scores a text the same in a padded batch as alone', async () => {
    const texts = [EDUCATIONAL, SPAM, PLAIN, 'exercice', ''];
    const batched = await classify(texts);
    for (const [i, text] of texts.entries()) {
      const [alone] = await classify([text]);
      expect(batched[i]!.high).toBeCloseTo(alone!.high!, 6);
    }
  });

  it('keeps every label score under metadata.signals.model_score, whatever the batch size', async () => {
    const texts = [EDUCATIONAL, SPAM, PLAIN];
    const one = await run({ batch_size: 1 }, texts);
    const two = await run({ batch_size: 2 }, texts);
    expect(one.kept.map((d) => d.id)).toEqual(['d0', 'd1', 'd2']);
    for (const [i, doc] of two.kept.entries()) {
      const signals = getSignals(doc, 'model_score')!;
      expect(Object.keys(signals).sort()).toEqual(['high', 'low']);
      expect(signals.high as number).toBeCloseTo(getSignals(one.kept[i]!, 'model_score')!.high as number, 6);
    }
  });

  it('rejects below min_score with model_score.below_threshold and keeps the rest in order', async () => {
    const texts = [EDUCATIONAL, SPAM, PLAIN, 'Une leçon.'];
    const threshold = 0.5 + 1e-3; // the neutral text (0.5) falls just below
    const { kept, rejects } = await run({ batch_size: 3, label: 'high', min_score: threshold }, texts);
    expect(kept.map((d) => d.text)).toEqual([EDUCATIONAL, 'Une leçon.']);
    expect(rejects.map((r) => [r.doc.text, r.reason])).toEqual([
      [SPAM, 'model_score.below_threshold'],
      [PLAIN, 'model_score.below_threshold'],
    ]);
    expect(rejects[0]!.detail).toMatchObject({ label: 'high', min_score: threshold });
    expect(getSignals(rejects[1]!.doc, 'model_score')!.high).toBeCloseTo(0.5, 5);
  });

  it('refuses a label the model does not have', async () => {
    await expect(run({ label: 'quality', min_score: 0.5 }, [PLAIN])).rejects.toThrow(/no label "quality".*high/);
  });

  it('names the directory when the model cannot be loaded', async () => {
    await expect(loadClassifier(join(root, 'absent'))).rejects.toThrow(/model_score: cannot load the model in .*absent/);
  });
});

describe('model_score options', () => {
  it('is a recipe stage; min_score needs a label', () => {
    expect(StageSpec.parse({ stage: 'model_score', model: 'models/edu' })).toMatchObject({ batch_size: 32, dtype: 'fp32' });
    expect(() => ModelScoreOptions.parse({ stage: 'model_score', model: 'm', min_score: 0.5 })).toThrow(/min_score and label go together/);
  });
});
