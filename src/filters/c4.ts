import { z } from 'zod';
import { countTokens } from '../text/tokenize.js';
import type { Verdict } from './verdict.js';

/**
 * C4's heuristics (Raffel et al. 2020) as datatrove's C4QualityFilter applies them. Off by default
 * for French, as FineWeb-2 leaves it out: its "line must end in punctuation" rule removes too much
 * good text. When used, it rewrites the text (bad lines go) as well as dropping documents.
 */
export const C4Settings = z
  .object({
    split_paragraph: z.boolean().default(true).describe('judge lines (true) or sentences'),
    remove_citations: z.boolean().default(true).describe('remove Wikipedia-style [1] references'),
    filter_no_terminal_punct: z.boolean().default(true),
    min_num_sentences: z.number().int().min(0).default(5),
    min_words_per_line: z.number().int().min(0).default(3),
    max_word_length: z.number().int().positive().default(1000),
    filter_lorem_ipsum: z.boolean().default(true),
    filter_javascript: z.boolean().default(true),
    filter_curly_bracket: z.boolean().default(true),
    filter_policy: z.boolean().default(true),
  })
  .strict();
export type C4Settings = z.output<typeof C4Settings>;

const TERMINAL = ['.', '?', '!', '"', '…', '»', '”'];
/** Cookie and legal boilerplate, in French and in English. */
const POLICY = ['terms of use', 'privacy policy', 'cookie policy', 'uses cookies', 'use of cookies', 'use cookies', 'politique de confidentialité', 'utilise des cookies', 'conditions générales d\'utilisation', 'mentions légales', 'gestion des cookies'];

export function c4(text: string, s: C4Settings): Verdict & { text: string } {
  const lower = text.toLowerCase();
  if (s.filter_lorem_ipsum && lower.includes('lorem ipsum')) return { reason: 'lorem_ipsum', signals: {}, text };
  if (s.filter_curly_bracket && text.includes('{')) return { reason: 'curly_bracket', signals: {}, text };
  const units = s.split_paragraph ? text.split('\n') : text.split(/(?<=[.!?…])\s+/);
  const kept: string[] = [];
  let removed = 0;
  let sentences = 0;
  for (let line of units) {
    line = line.trim();
    if (s.remove_citations) line = line.replace(/\[\d*\]|\[edit\]|\[citation needed\]|\[modifier\]|\[réf\. nécessaire\]/gi, '');
    const l = line.toLowerCase();
    const words = line.split(/\s+/).filter(Boolean);
    const bad =
      (s.filter_no_terminal_punct && (!TERMINAL.some((t) => line.endsWith(t)) || line.endsWith('...'))) ||
      countTokens(line) < s.min_words_per_line ||
      words.some((w) => w.length > s.max_word_length) ||
      (s.filter_javascript && l.includes('javascript')) ||
      (s.filter_policy && POLICY.some((p) => l.includes(p)));
    if (bad) {
      if (line) removed++;
      continue;
    }
    sentences += s.split_paragraph ? (line.match(/[.!?…]+(?:\s|$)/g) ?? []).length || 1 : 1;
    kept.push(line);
  }
  const signals = { lines_removed: removed, sentences };
  const out = kept.join('\n');
  if (sentences < s.min_num_sentences) return { reason: 'too_few_sentences', signals, text: out };
  return { reason: null, signals, text: out };
}
