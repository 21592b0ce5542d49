import { z } from 'zod';
import type { Words } from './words.js';
import type { Verdict } from './verdict.js';
import { round } from './gopher-quality.js';

/**
 * Gopher's repetition rules (Rae et al. 2021, as datatrove implements them) with FineWeb-2's
 * French thresholds: duplicated lines and paragraphs, the most frequent 2-4-gram, and the
 * characters covered by duplicated 5-10-grams, all as fractions of the text.
 */
export const RepetitionSettings = z
  .object({
    dup_line_frac: z.number().min(0).max(1).default(0.264).describe('FineWeb-2 fra_Latn: 0.264'),
    dup_para_frac: z.number().min(0).max(1).default(0.3),
    dup_line_char_frac: z.number().min(0).max(1).default(0.2),
    dup_para_char_frac: z.number().min(0).max(1).default(0.2),
    top_n_grams: z.record(z.string().regex(/^[2-4]$/), z.number().min(0).max(1)).default({ 2: 0.161, 3: 0.149, 4: 0.134 }),
    dup_n_grams: z
      .record(z.string().regex(/^([5-9]|10)$/), z.number().min(0).max(1))
      .default({ 5: 0.15, 6: 0.141, 7: 0.131, 8: 0.121, 9: 0.111, 10: 0.1 }),
  })
  .strict();
export type RepetitionSettings = z.output<typeof RepetitionSettings>;

/** Elements seen before, and their characters (datatrove's find_duplicates). */
export function duplicates(elements: string[]): { count: number; chars: number } {
  const seen = new Set<string>();
  let count = 0;
  let chars = 0;
  for (const e of elements) {
    if (seen.has(e)) {
      count++;
      chars += e.length;
    } else seen.add(e);
  }
  return { count, chars };
}

/**
 * An n-gram key from word hashes, kept to 30 bits so that V8 stores it as a small integer (maps
 * of heap numbers are several times slower). Within one document (a few thousand n-grams) a
 * collision is a one-in-a-thousand event that can only make repetition look higher by one n-gram.
 */
function ngramKey(h: Uint32Array, start: number, n: number): number {
  let a = 0x9e3779b1 ^ n;
  for (let i = start; i < start + n; i++) a = Math.imul(a ^ h[i]!, 0x01000193) ^ (a >>> 13);
  a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
  return (a ^ (a >>> 13)) & 0x3fffffff;
}

/**
 * Open-addressing table of n-gram keys (30-bit, so never -1) to counts, in typed arrays reused
 * across calls: a Map or Set of numbers costs several times more per n-gram than the hashing.
 * Slots are stamped with the generation that wrote them, so starting a new count clears nothing.
 */
let tableMask = 0;
let tableKeys = new Int32Array(0);
let tableCounts = new Int32Array(0);
let tableStamps = new Uint32Array(0);
let generation = 0;

/** Makes the table empty with room for `entries` keys at a load of at most one half. */
function resetTable(entries: number): void {
  const wanted = Math.max(1024, 1 << Math.ceil(Math.log2(entries * 2 + 1)));
  if (wanted > tableKeys.length) {
    tableKeys = new Int32Array(wanted);
    tableCounts = new Int32Array(wanted);
    tableStamps = new Uint32Array(wanted);
    tableMask = wanted - 1;
    generation = 0;
  }
  if (++generation === 0xffffffff) {
    tableStamps.fill(0);
    generation = 1;
  }
}

/** Adds one to the count of `key` and returns the new count. */
function increment(key: number): number {
  let slot = key & tableMask;
  while (tableStamps[slot] === generation) {
    if (tableKeys[slot] === key) return ++tableCounts[slot]!;
    slot = (slot + 1) & tableMask;
  }
  tableStamps[slot] = generation;
  tableKeys[slot] = key;
  tableCounts[slot] = 1;
  return 1;
}

/** Characters of the most frequent n-gram times its count (words joined by one space). */
export function topNgramChars(words: Words, n: number): number {
  if (words.count < n) return 0;
  resetTable(words.count - n + 1);
  let bestCount = 0;
  let bestStart = 0;
  for (let i = 0; i + n <= words.count; i++) {
    const c = increment(ngramKey(words.hashes, i, n));
    if (c > bestCount) {
      bestCount = c;
      bestStart = i;
    }
  }
  let chars = n - 1;
  for (let i = bestStart; i < bestStart + n; i++) chars += words.lengths[i]!;
  return chars * bestCount;
}

/** Characters of n-grams already seen, skipping over each repeat (datatrove's find_all_duplicate). */
export function duplicatedNgramChars(words: Words, n: number): number {
  if (words.count < n) return 0;
  resetTable(words.count - n + 1);
  let chars = 0;
  let i = 0;
  while (i + n <= words.count) {
    if (increment(ngramKey(words.hashes, i, n)) > 1) {
      for (let j = i; j < i + n; j++) chars += words.lengths[j]!;
      i += n;
    } else i++;
  }
  return chars;
}

export function repetition(text: string, words: Words, s: RepetitionSettings): Verdict {
  const len = Math.max(1, text.length);
  const paragraphs = text.trim().split(/\n{2,}/);
  const lines = text.split(/\n+/);
  const para = duplicates(paragraphs);
  const line = duplicates(lines);
  const signals: Record<string, number> = {
    dup_para_frac: round(para.count / paragraphs.length),
    dup_para_char_frac: round(para.chars / len),
    dup_line_frac: round(line.count / lines.length),
    dup_line_char_frac: round(line.chars / len),
  };
  let reason: string | null =
    signals.dup_para_frac! > s.dup_para_frac ? 'dup_para_frac'
    : signals.dup_para_char_frac! > s.dup_para_char_frac ? 'dup_para_char_frac'
    : signals.dup_line_frac! > s.dup_line_frac ? 'dup_line_frac'
    : signals.dup_line_char_frac! > s.dup_line_char_frac ? 'dup_line_char_frac'
    : null;
  for (const [n, max] of Object.entries(s.top_n_grams)) {
    const frac = round(topNgramChars(words, Number(n)) / len);
    signals[`top_${n}_gram_frac`] = frac;
    if (!reason && frac > max) reason = `top_${n}_gram`;
  }
  for (const [n, max] of Object.entries(s.dup_n_grams)) {
    const frac = round(duplicatedNgramChars(words, Number(n)) / len);
    signals[`dup_${n}_gram_frac`] = frac;
    if (!reason && frac > max) reason = `duplicated_${n}_n_grams`;
  }
  return { reason, signals };
}
