import { describe, expect, it } from 'vitest';
import { FRENCH_STOP_WORDS, GopherQualitySettings, gopherQuality } from '../../src/filters/gopher-quality.js';
import { RepetitionSettings, repetition } from '../../src/filters/repetition.js';
import { FineWebSettings, fineweb } from '../../src/filters/fineweb.js';
import { readWords } from '../../src/filters/words.js';
import { createCleaner } from '../../src/filters/clean.js';

const gq = GopherQualitySettings.parse({});
const stop = new Set(FRENCH_STOP_WORDS);
const quality = (t: string, s = gq) => gopherQuality(t, readWords(t), s, stop);
const rep = (t: string) => repetition(t, readWords(t), RepetitionSettings.parse({}));
const fw = (t: string) => fineweb(t, readWords(t), FineWebSettings.parse({}));

/** Fifty-odd French words with no stop word of FineWeb-2's list, to which we add some. */
const NO_STOP = Array.from({ length: 52 }, (_, i) => ['chaque', 'matin', 'Marie', 'prépare', 'son', 'café', 'puis', 'lit', 'quelques', 'pages'][i % 10]).join(' ') + '.';

describe('Gopher quality, French settings', () => {
  it('needs at least two French stop words, elided articles counting ("l\'", "d\'")', () => {
    expect(quality(NO_STOP).reason).toBe('too_few_stop_words');
    expect(quality(`${NO_STOP} Voilà l'histoire.`).reason).toBe('too_few_stop_words');
    expect(quality(`${NO_STOP} Voilà l'histoire d'ici.`).reason).toBeNull();
    expect(quality(`${NO_STOP} Voilà l’histoire d’ici.`).signals.stop_words).toBe(2);
  });

  it('needs 50 words', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 ? 'le' : 'chat')).join(' ');
    expect(quality(words(49)).reason).toBe('short_doc');
    expect(quality(words(50)).reason).toBeNull();
  });

  it('keeps mean word length between 2 and 11', () => {
    const long = Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? 'de' : 'anticonstitutionnellement')).join(' ');
    expect(quality(long).reason).toBe('mean_word_length_high');
    const ok = Array.from({ length: 60 }, (_, i) => (i % 6 === 0 ? 'de' : 'constitution')).join(' ');
    expect(quality(ok).signals.avg_word_length).toBeLessThanOrEqual(11);
    expect(quality(ok).reason).toBeNull();
  });

  it('needs 81.2% of words with a letter', () => {
    // 100 words: 18 numbers → 0.82 keeps; 19 numbers → 0.81 goes.
    const text = (numbers: number) => Array.from({ length: 100 }, (_, i) => (i < numbers ? String(1990 + i) : i % 2 ? 'la' : 'maison')).join(' ');
    expect(quality(text(18)).reason).toBeNull();
    expect(quality(text(19)).reason).toBe('too_few_alpha_words');
  });
});

const VARIED =
  "La médiathèque de notre commune rouvre lundi après trois mois de travaux. Les lecteurs y trouveront une salle d'étude agrandie, " +
  'un espace pour les enfants et un fonds de bandes dessinées enrichi. Les horaires changent aussi : ouverture le mardi soir ' +
  "jusqu'à vingt heures, fermeture le jeudi matin. L'inscription reste gratuite pour les habitants, sur présentation d'un justificatif.";

describe('Gopher repetition, French settings', () => {
  const line = (i: number) => `La ligne numéro ${['un', 'deux', 'trois', 'quatre', 'cinq', 'six', 'sept', 'huit', 'neuf', 'dix', 'onze', 'douze', 'treize', 'quatorze', 'quinze', 'seize', 'dix-sept', 'dix-huit', 'dix-neuf', 'vingt'][i]} parle de choses variées`;
  it('drops a text whose duplicated line fraction is above 0.264', () => {
    // 19 lines, 5 repeats → 0.263 stays (line checks only: other checks loosened)
    const lines = (dups: number, total: number) => [...Array.from({ length: total - dups }, (_, i) => line(i)), ...Array.from({ length: dups }, () => line(0))].join('\n');
    const s = RepetitionSettings.parse({ dup_line_char_frac: 1, top_n_grams: {}, dup_n_grams: {} });
    expect(repetition(lines(5, 19), readWords(lines(5, 19)), s).signals.dup_line_frac).toBeCloseTo(5 / 19, 3);
    expect(repetition(lines(5, 19), readWords(lines(5, 19)), s).reason).toBeNull();
    expect(repetition(lines(6, 19), readWords(lines(6, 19)), s).reason).toBe('dup_line_frac');
  });

  it('drops a text dominated by one repeated word pair', () => {
    expect(rep(`${'très bien '.repeat(30)}fin`).reason).toBe('top_2_gram');
    expect(rep(VARIED).reason).toBeNull();
  });
});

describe('FineWeb, French settings', () => {
  const sentence = 'Le conseil municipal a voté le budget de la commune pour cette année.';
  it('needs 10% of lines ending in punctuation', () => {
    const text = (punct: number, total: number) => Array.from({ length: total }, (_, i) => (i < punct ? sentence : 'Rubrique des annonces de la commune et de ses quartiers')).join('\n');
    expect(fw(text(1, 10)).signals.line_punct_ratio).toBe(0.1);
    expect(fw(text(1, 10)).reason).not.toBe('line_punct_ratio');
    expect(fw(text(1, 11)).reason).toBe('line_punct_ratio');
  });

  it('drops lists: more than 0.185 newlines per word', () => {
    // each line has 6 words: 1 newline per 6 words (0.167) stays; with 5 words (0.2) goes.
    // 10 lines, 9 newlines: 5 words a line gives 9/50 = 0.18 (stays), 4 words 9/40 = 0.225 (goes).
    const adj = ['nouveaux', 'anciens', 'jeunes', 'bénévoles', 'premiers', 'derniers', 'autres', 'vrais', 'grands', 'petits'];
    const five = adj.map((a) => `Les ${a} administrateurs interviennent régulièrement.`).join('\n');
    const four = adj.map((a) => `Les ${a} administrateurs interviennent.`).join('\n');
    expect(fw(five).signals.new_line_ratio).toBe(0.18);
    expect(fw(five).reason).toBeNull();
    expect(fw(four).reason).toBe('list_ratio');
  });
});

describe('the default French cleaning', () => {
  it('keeps good French, with signals, and leaves C4 off', async () => {
    const clean = await createCleaner();
    const r = clean(VARIED);
    expect(r).toMatchObject({ keep: true });
    expect(Object.keys(r.signals)).toEqual(['lang', 'normalise', 'gopher_quality', 'gopher_repetition', 'fineweb']);
    const en = clean('This text is written in English and it is long enough to be judged by the language stage.');
    expect(en).toMatchObject({ keep: false, reason: 'lang.not_wanted' });
  });
});
