import { z } from 'zod';
import type { StageDefinition } from './stage.js';
import { extractStage } from '../extract/stage.js';
import { langStage } from '../lang/stage.js';
import { normaliseStage } from '../text/stage.js';
import { c4Stage, finewebStage, gopherQualityStage, gopherRepetitionStage } from '../filters/stage.js';
import { modelScoreStage } from '../filters/model-score.js';
import { piiStage } from '../pii/stage.js';
import { exactDedupStage } from '../dedup/exact.js';
import { boilerplateStage } from '../dedup/boilerplate.js';
import { minhashDedupStage } from '../dedup/minhash-stage.js';
import { licenseStage } from '../licenses/stage.js';

/** Every stage a recipe can name, in flow order. Add a stage here to make it usable in recipes. */
export const stageDefinitions = [extractStage, langStage, normaliseStage, gopherQualityStage, gopherRepetitionStage, finewebStage, c4Stage, modelScoreStage, piiStage, exactDedupStage, boilerplateStage, minhashDedupStage, licenseStage] as const;

export const StageSpec = z.discriminatedUnion(
  'stage',
  stageDefinitions.map((d) => d.options) as unknown as [z.ZodObject, ...z.ZodObject[]],
);

export function stageDefinition(name: string): StageDefinition {
  const def = stageDefinitions.find((d) => d.name === name);
  if (!def) throw new Error(`unknown stage "${name}"`);
  return def as unknown as StageDefinition;
}
