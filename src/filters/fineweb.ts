import { z } from 'zod';
import type { Words } from './words.js';
import type { Verdict } from './verdict.js';
import { round } from './gopher-quality.js';
import { duplicates } from './repetition.js';

/** Line ends that make a line a sentence, French quotes and closing brackets included. */
const END_PUNCTUATION = ['.', '!', '?', '…', '"', "'", '»', '”', ')', ':', ';'];

/** FineWeb's own quality rules (Penedo et al. 2024), with FineWeb-2's French thresholds. */
export const FineWebSettings = z
  .object({
    line_punct_thr: z.number().min(0).max(1).default(0.1).describe('minimum share of lines ending in punctuation; FineWeb-2 fra_Latn: 0.1'),
    line_punct_exclude_zero: z.boolean().default(false),
    short_line_thr: z.number().min(0).max(1).default(0.67),
    short_line_length: z.number().int().positive().default(30),
    char_duplicates_ratio: z.number().min(0).max(1).default(0.01),
    new_line_ratio: z.number().min(0).default(0.185).describe('newlines per word; FineWeb-2 fra_Latn: 0.185'),
  })
  .strict();
export type FineWebSettings = z.output<typeof FineWebSettings>;

export function fineweb(text: string, words: Words, s: FineWebSettings): Verdict {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return { reason: 'empty', signals: {} };
  let punct = 0;
  let short = 0;
  for (const l of lines) {
    const r = l.trimEnd();
    if (END_PUNCTUATION.some((p) => r.endsWith(p))) punct++;
    if (l.length <= s.short_line_length) short++;
  }
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines++;
  const chars = text.length - newlines;
  const signals = {
    line_punct_ratio: round(punct / lines.length),
    short_line_ratio: round(short / lines.length),
    char_dup_ratio: chars ? round(duplicates(lines).chars / chars) : 0,
    new_line_ratio: words.count ? round(newlines / words.count) : 0,
  };
  const punctRatio = punct / lines.length;
  const reason =
    punctRatio < s.line_punct_thr && !(punctRatio === 0 && s.line_punct_exclude_zero) ? 'line_punct_ratio'
    : short / lines.length > s.short_line_thr ? 'short_line_ratio'
    : signals.char_dup_ratio > s.char_duplicates_ratio ? 'char_dup_ratio'
    : words.count === 0 || newlines / words.count > s.new_line_ratio ? 'list_ratio'
    : null;
  return { reason, signals };
}
