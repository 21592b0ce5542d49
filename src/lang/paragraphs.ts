import type { FrenchFirstIdentifier, Identification } from './identify.js';

/** A paragraph as a span of the original text, so removing one never rewrites the others. */
export interface Paragraph {
  start: number;
  end: number;
  /** null when the paragraph was too short to judge on its own. */
  id: Identification | null;
}

const BLANK_LINE = /\n[ \t\r\f\v]*\n\s*/g;

/**
 * Paragraphs are blocks between blank lines; a text without blank lines is read line by line
 * (WET text and many exports put one block element per line).
 */
export function splitParagraphs(text: string): { start: number; end: number }[] {
  const separator = BLANK_LINE.test(text) ? BLANK_LINE : /\n\s*/g;
  separator.lastIndex = 0;
  const spans: { start: number; end: number }[] = [];
  let start = 0;
  for (const m of text.matchAll(separator)) {
    if (m.index > start) spans.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans;
}

export interface DocumentLanguage {
  lang: string;
  score: number;
  /** Share of the judged characters in the document's language. */
  share: number;
  paragraphs: Paragraph[];
}

/**
 * Identifies every paragraph long enough to judge and elects the document's language: the one
 * with the most judged characters. Its score is the character-weighted mean of the scores of its
 * paragraphs. Falls back to the whole text when no paragraph is long enough.
 *
 * `trusted` is a confident identification of the document as a whole: a paragraph whose function
 * words plainly agree with it takes it as its own instead of a fastText call (most paragraphs of
 * most documents; fastText is nearly all the cost), the others are identified on their own.
 */
export function identifyByParagraph(text: string, identifier: FrenchFirstIdentifier, minChars: number, trusted: Identification | null = null): DocumentLanguage | null {
  const paragraphs: Paragraph[] = splitParagraphs(text).map(({ start, end }) => {
    if (end - start < minChars) return { start, end, id: null };
    const paragraph = text.slice(start, end);
    return { start, end, id: trusted && identifier.agrees(paragraph, trusted.lang) ? trusted : identifier.identify(paragraph) };
  });
  const chars = new Map<string, number>();
  const weighted = new Map<string, number>();
  let judged = 0;
  for (const p of paragraphs) {
    if (!p.id) continue;
    const n = p.end - p.start;
    judged += n;
    chars.set(p.id.lang, (chars.get(p.id.lang) ?? 0) + n);
    weighted.set(p.id.lang, (weighted.get(p.id.lang) ?? 0) + n * p.id.score);
  }
  if (judged === 0) {
    const whole = identifier.identify(text);
    return whole ? { lang: whole.lang, score: whole.score, share: 1, paragraphs } : null;
  }
  let lang = '';
  let most = -1;
  for (const [l, n] of chars) if (n > most) [lang, most] = [l, n];
  return { lang, score: weighted.get(lang)! / most, share: most / judged, paragraphs };
}

/** The text without the given paragraphs; the separators around kept paragraphs stay as they were. */
export function withoutParagraphs(text: string, removed: Paragraph[]): string {
  if (removed.length === 0) return text;
  let out = '';
  let at = 0;
  for (const p of removed) {
    out += text.slice(at, p.start);
    at = p.end;
  }
  out += text.slice(at);
  return out.replace(/\n{3,}/g, '\n\n').trim();
}
