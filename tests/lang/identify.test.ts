import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFastText } from '../../src/lang/fasttext.js';
import { frenchFirstIdentifier } from '../../src/lang/identify.js';
import { LangOptions, createLanguageJudge } from '../../src/lang/stage.js';
import { haveSamples, sample } from '../helpers/samples.js';

const identifier = frenchFirstIdentifier(await loadFastText());
const lang = (t: string) => identifier.identify(t)?.lang;

describe('French-first language identification', () => {
  it('reads a French recipe written in capitals as confidently French', () => {
    const recipe = 'POULET RÔTI AUX HERBES : PRÉCHAUFFER LE FOUR À 200 DEGRÉS, SALER ET POIVRER LE POULET, PUIS LE METTRE AU FOUR PENDANT UNE HEURE.';
    const r = identifier.identify(recipe)!;
    expect(r.lang).toBe('fr');
    expect(r.score).toBeGreaterThan(0.95);
  });

  it("reads typographic apostrophes as French elisions, not German (fastText: d’un → de)", () => {
    expect(lang('d’un')).toBe('fr');
    expect(lang('aujourd’hui')).toBe('fr');
  });

  it.each([
    ['oc', "L'occitan es una lenga romanica parlada dins lo sud de França, en Itàlia e en Espanha."],
    ['oc', 'Aquel òme es vengut amb sa femna per veire la fèsta del vilatge.'],
    ['ca', 'El català és una llengua romànica parlada a Catalunya, al País Valencià i a les Illes Balears.'],
    ['la', 'In principio erat verbum, et verbum erat apud deum.'],
    ['wa', "Dji m' va e vosse måjhon, c' est ene bele djournêye."],
    ['br', 'Ar brezhoneg a zo ur yezh keltiek komzet e Breizh.'],
  ])('does not take %s for French: %s', (want, text) => {
    expect(lang(text)).toBe(want);
  });

  it('keeps French sentences close to those neighbours French', () => {
    expect(lang('Il est venu avec sa femme pour voir la fête du village.')).toBe('fr');
    expect(lang('Le chat est sur la table et la ville est belle.')).toBe('fr');
  });

  it('removes the non-French paragraphs of a mostly French document, and keeps the rest as written', async () => {
    const judge = await createLanguageJudge(LangOptions.parse({ stage: 'lang' }));
    const fr1 = 'La bibliothèque municipale ouvre ses portes tous les jours de la semaine, sauf le dimanche.';
    const en = 'This paragraph was written in English and has nothing to do in a French corpus at all.';
    const fr2 = "Les lecteurs peuvent emprunter jusqu'à dix livres pendant trois semaines, renouvelables une fois.";
    const v = judge([fr1, en, fr2].join('\n\n'))!;
    expect(v.lang).toBe('fr');
    expect(v.text).toBe(`${fr1}\n\n${fr2}`);
    expect(v.signals.paragraphs_removed).toBe(1);
    const off = await createLanguageJudge(LangOptions.parse({ stage: 'lang', paragraphs: { remove_other: false } }));
    expect(off([fr1, en, fr2].join('\n\n'))!.text).toContain(en);
  });
});

/** Lingua's protocol: sentences, then word pairs and single words cut from them. */
function evaluate(file: string): { sentences: number; pairs: number; words: number } {
  const lines = readFileSync(sample('langid', file), 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[1]!);
  const fr = { sentences: 0, pairs: 0, words: 0 };
  let n = 0;
  for (let i = 0; i < lines.length; i += 10) {
    const s = lines[i]!;
    const w = s.match(/\p{L}[\p{L}'’-]*/gu) ?? [];
    if (w.length < 2) continue;
    n++;
    const m = w.length >> 1;
    if (lang(s) === 'fr') fr.sentences++;
    if (lang(`${w[m - 1]} ${w[m]}`) === 'fr') fr.pairs++;
    if (lang(w.find((x, j) => j >= m && x.length >= 3) ?? w[m]!) === 'fr') fr.words++;
  }
  return { sentences: fr.sentences / n, pairs: fr.pairs / n, words: fr.words / n };
}

describe.skipIf(!haveSamples())('on Leipzig sentences (corpus-samples)', () => {
  it('finds French at or above fastText alone on sentences, word pairs and single words', () => {
    const r = evaluate('leipzig__fra_wikipedia_2021_10K-sentences.txt');
    expect(r.sentences).toBeGreaterThanOrEqual(0.995);
    expect(r.pairs).toBeGreaterThanOrEqual(0.84);
    expect(r.words).toBeGreaterThanOrEqual(0.66);
  });

  it.each(['leipzig__deu_mixed-typical_2011_10K-sentences.txt', 'leipzig__eng_news-typical_2016_10K-sentences.txt', 'leipzig__ita_mixed-typical_2017_10K-sentences.txt', 'leipzig__spa_wikipedia_2021_10K-sentences.txt'])(
    'almost never takes %s for French',
    (file) => {
      const r = evaluate(file);
      expect(r.sentences).toBeLessThanOrEqual(0.01);
      expect(r.pairs).toBeLessThanOrEqual(0.05);
      expect(r.words).toBeLessThanOrEqual(0.05);
    },
  );
});
