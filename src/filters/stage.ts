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

/**
 * A filter stage named `name`: its recipe options are its settings plus `stage: <name>`, and
 * `judge(options)` builds the judgement of one text.
 */
function defineFilter<Name extends string, Settings extends z.ZodObject>(
  name: Name,
  settings: Settings,
  judge: (options: z.output<Settings>) => (text: string) => Verdict & { text?: string },
) {
  return defineStage({
    name,
    phase: 'filter',
    options: settings.extend({ stage: z.literal(name) }).strict(),
    create: (options) => filterStage(name, judge(options as z.output<Settings>)),
  });
}

export const gopherQualityStage = defineFilter('gopher_quality', GopherQualitySettings, (options) => {
  const stop = new Set(options.stop_words);
  return (text) => gopherQuality(text, readWords(text), options, stop);
});
export const gopherRepetitionStage = defineFilter('gopher_repetition', RepetitionSettings, (options) => (text) => repetition(text, readWords(text), options));
export const finewebStage = defineFilter('fineweb', FineWebSettings, (options) => (text) => fineweb(text, readWords(text), options));
export const c4Stage = defineFilter('c4', C4Settings, (options) => (text) => c4(text, options));
