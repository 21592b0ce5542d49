import { z } from 'zod';
import type { Words } from './words.js';
import { wordAt } from './words.js';
import type { Verdict } from './verdict.js';

/** FineWeb-2's French stop words (fra_Latn): a French text has at least two of them. */
export const FRENCH_STOP_WORDS = ['de', 'la', 'le', 'et', 'à', 'en', "l'", 'des', 'du', 'les', 'est', "d'", 'un', 'une', 'il', 'dans', 'par', 'au'];

/** Gopher's quality rules (Rae et al. 2021) with FineWeb-2's French thresholds as defaults. */
export const GopherQualitySettings = z
  .object({
    min_doc_words: z.number().int().min(0).default(50),
    max_doc_words: z.number().int().positive().default(100_000),
    min_avg_word_length: z.number().min(0).default(2).describe('FineWeb-2 fra_Latn: 2'),
    max_avg_word_length: z.number().positive().default(11).describe('FineWeb-2 fra_Latn: 11'),
    max_symbol_word_ratio: z.number().min(0).default(0.1).describe('"#" and ellipses per word'),
    max_bullet_lines_ratio: z.number().min(0).max(1).default(0.9),
    max_ellipsis_lines_ratio: z.number().min(0).max(1).default(0.3),
    min_alpha_words_ratio: z.number().min(0).max(1).default(0.812).describe("words with a letter; FineWeb-2's max_non_alpha_words_ratio (fra_Latn: 0.812)"),
    min_stop_words: z.number().int().min(0).default(2),
    stop_words: z.array(z.string()).default(FRENCH_STOP_WORDS),
  })
  .strict();
export type GopherQualitySettings = z.output<typeof GopherQualitySettings>;

export function gopherQuality(text: string, words: Words, s: GopherQualitySettings, stopWords: ReadonlySet<string>): Verdict {
  const n = words.count;
  const lines = text.split('\n');
  let bullets = 0;
  let endEllipsis = 0;
  for (const line of lines) {
    const l = line.trimStart();
    if (l.startsWith('•') || l.startsWith('-')) bullets++;
    const r = line.trimEnd();
    if (r.endsWith('...') || r.endsWith('…')) endEllipsis++;
  }
  let stop = 0;
  for (let i = 0; i < n; i++) if (words.lengths[i]! <= 5 && stopWords.has(wordAt(text, words, i))) stop++;
  const hashes = count(text, '#');
  const ellipses = count(text, '...') + count(text, '…');
  const signals = {
    words: n,
    avg_word_length: n ? round(words.totalLength / n) : 0,
    hash_ratio: n ? round(hashes / n) : 0,
    ellipsis_ratio: n ? round(ellipses / n) : 0,
    bullet_lines_ratio: round(bullets / lines.length),
    end_ellipsis_lines_ratio: round(endEllipsis / lines.length),
    alpha_words_ratio: n ? round(words.withLetter / n) : 0,
    stop_words: stop,
  };
  const reason =
    n < s.min_doc_words ? 'short_doc'
    : n > s.max_doc_words ? 'long_doc'
    : signals.avg_word_length < s.min_avg_word_length ? 'mean_word_length_low'
    : signals.avg_word_length > s.max_avg_word_length ? 'mean_word_length_high'
    : hashes / n > s.max_symbol_word_ratio ? 'too_many_hashes'
    : ellipses / n > s.max_symbol_word_ratio ? 'too_many_ellipses'
    : bullets / lines.length > s.max_bullet_lines_ratio ? 'too_many_bullets'
    : endEllipsis / lines.length > s.max_ellipsis_lines_ratio ? 'too_many_end_ellipses'
    : words.withLetter / n < s.min_alpha_words_ratio ? 'too_few_alpha_words'
    : stop < s.min_stop_words ? 'too_few_stop_words'
    : null;
  return { reason, signals };
}

function count(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

export const round = (x: number) => Math.round(x * 1e4) / 1e4;
