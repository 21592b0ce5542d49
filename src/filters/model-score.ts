import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import type { Doc } from '../pipeline/doc.js';
import { setSignals, type Signals } from './signals.js';

const INSTALL = 'ONNXRUNTIME_NODE_INSTALL=skip npm install --save-optional @huggingface/transformers';

export const ModelScoreOptions = z
  .object({
    stage: z.literal('model_score'),
    model: z.string().min(1).describe('directory of a local transformers.js model: config.json, tokenizer.json, tokenizer_config.json, onnx/model*.onnx'),
    dtype: z.enum(['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']).default('fp32').describe('which ONNX file of the model: fp32 is onnx/model.onnx, q8 onnx/model_quantized.onnx'),
    batch_size: z.number().int().positive().default(32).describe('documents scored per model call'),
    max_chars: z.number().int().positive().default(10_000).describe('only the start of long documents is tokenised (the tokeniser truncates to the model length anyway)'),
    label: z.string().optional().describe('the label whose score min_score applies to'),
    min_score: z.number().min(0).max(1).optional().describe('documents whose `label` score is below this are rejected as model_score.below_threshold'),
  })
  .strict()
  .refine((o) => (o.min_score === undefined) === (o.label === undefined), { message: 'min_score and label go together' });
export type ModelScoreOptions = z.output<typeof ModelScoreOptions>;

/** Scores of every label for each text, in input order. */
export type Classifier = (texts: string[]) => Promise<Record<string, number>[]>;

interface ClassifierOutput {
  label: string;
  score: number;
}

/** The part of `@huggingface/transformers` used here, typed locally so the build does not need the package. */
interface Transformers {
  env: { allowRemoteModels: boolean; allowLocalModels: boolean; localModelPath: string };
  pipeline(task: 'text-classification', model: string, options: { dtype: string; device: string }): Promise<(texts: string[], options: { top_k: number | null }) => Promise<unknown>>;
}

// a variable, so that TypeScript does not resolve the optional package at build time
const TRANSFORMERS = '@huggingface/transformers';

/**
 * Loads a local ONNX text-classification model through `@huggingface/transformers`, which is an
 * optional dependency: imported only here so that everything else works without it. Remote models
 * are refused, since runs must be reproducible offline.
 */
export async function loadClassifier(modelDir: string, dtype: ModelScoreOptions['dtype'] = 'fp32'): Promise<Classifier> {
  let transformers: Transformers;
  try {
    transformers = (await import(TRANSFORMERS)) as Transformers;
  } catch (e) {
    throw new Error(`the model_score stage needs the optional dependency @huggingface/transformers; install it with: ${INSTALL} (${(e as Error).message})`);
  }
  const path = resolve(modelDir);
  const { env, pipeline } = transformers;
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.localModelPath = `${dirname(path)}/`;
  let classify;
  try {
    classify = await pipeline('text-classification', basename(path), { dtype, device: 'cpu' });
  } catch (e) {
    throw new Error(`model_score: cannot load the model in ${path}: ${(e as Error).message}`);
  }
  return async (texts) => {
    // top_k null: every label's score, so thresholds on any label can be chosen later
    const out = (await classify(texts, { top_k: null })) as unknown as ClassifierOutput[][];
    return out.map((labels) => Object.fromEntries(labels.map((l) => [l.label, l.score])));
  };
}

/**
 * Model scores: every label's score under `metadata.signals.model_score.<label>`, computed in
 * batches; with `label` and `min_score`, a filter rejecting as `model_score.below_threshold`.
 */
export const modelScoreStage = defineStage({
  name: 'model_score',
  phase: 'filter',
  options: ModelScoreOptions,
  async create(options) {
    const classify = await loadClassifier(options.model, options.dtype);
    return async function* (docs, ctx) {
      let batch: Doc[] = [];
      const flush = async function* (): AsyncGenerator<Doc> {
        const scores = await classify(batch.map((d) => d.text.slice(0, options.max_chars)));
        for (const [i, doc] of batch.entries()) {
          const s = scores[i] as Signals & Record<string, number>;
          setSignals(doc, 'model_score', s);
          if (options.label !== undefined && options.min_score !== undefined) {
            const score = s[options.label];
            if (score === undefined) throw new Error(`model_score: the model has no label "${options.label}" (labels: ${Object.keys(s).join(', ')})`);
            if (!(score >= options.min_score)) {
              ctx.reject(doc, 'model_score', 'model_score.below_threshold', { label: options.label, score, min_score: options.min_score });
              continue;
            }
          }
          yield doc;
        }
        batch = [];
      };
      for await (const doc of docs) {
        batch.push(doc);
        if (batch.length >= options.batch_size) yield* flush();
      }
      if (batch.length > 0) yield* flush();
    };
  },
});
