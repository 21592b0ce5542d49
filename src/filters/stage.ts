import { z } from 'zod';
import { defineStage, type Stage } from '../pipeline/stage.js';
import { setSignals } from './signals.js';
import type { Verdict } from './verdict.js';
import { readWords } from './words.js';
import { GopherQualitySettings, gopherQuality } from './gopher-quality.js';
import { RepetitionSettings, repetition } from './repetition.js';
import { FineWebSettings, fineweb } from './fineweb.js';
import { C4Settings, c4 } from './c4.js';

/**
 * A filter stage from a pure judgement of the text: keeps its signals under
 * `metadata.signals.<name>` and rejects with `<name>.<reason>`.
 */
function filterStage(name: string, judge: (text: string) => Verdict & { text?: string }): Stage {
  return async function* (docs, ctx) {
    for await (const doc of docs) {
      const v = judge(doc.text);
      setSignals(doc, name, v.signals);
      if (v.reason) {
        ctx.reject(doc, name, `${name}.${v.reason}`, v.signals);
        continue;
      }
      if (v.text !== undefined) doc.text = v.text;
      yield doc;
    }
  };
}

export const GopherQualityOptions = GopherQualitySettings.extend({ stage: z.literal('gopher_quality') }).strict();
export const gopherQualityStage = defineStage({
  name: 'gopher_quality',
  phase: 'filter',
  options: GopherQualityOptions,
  create(options) {
    const stop = new Set(options.stop_words);
    return filterStage('gopher_quality', (text) => gopherQuality(text, readWords(text), options, stop));
  },
});

export const GopherRepetitionOptions = RepetitionSettings.extend({ stage: z.literal('gopher_repetition') }).strict();
export const gopherRepetitionStage = defineStage({
  name: 'gopher_repetition',
  phase: 'filter',
  options: GopherRepetitionOptions,
  create(options) {
    return filterStage('gopher_repetition', (text) => repetition(text, readWords(text), options));
  },
});

export const FineWebOptions = FineWebSettings.extend({ stage: z.literal('fineweb') }).strict();
export const finewebStage = defineStage({
  name: 'fineweb',
  phase: 'filter',
  options: FineWebOptions,
  create(options) {
    return filterStage('fineweb', (text) => fineweb(text, readWords(text), options));
  },
});

export const C4Options = C4Settings.extend({ stage: z.literal('c4') }).strict();
export const c4Stage = defineStage({
  name: 'c4',
  phase: 'filter',
  options: C4Options,
  create(options) {
    return filterStage('c4', (text) => c4(text, options));
  },
});
