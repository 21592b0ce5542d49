/**
 * Fixes for text that came out of OCR or old prints, applied only where a source asks for them
 * (a source of modern web text has no long s, and a dash at a line end may be a real dash there).
 */

/** "ſ" (long s, in prints until about 1800) read as the "s" it is. */
export function replaceLongS(text: string): string {
  return text.includes('ſ') ? text.replace(/ſ/g, 's') : text;
}

/** "ﬁ", "ﬂ", "ﬀ", "ﬃ", "ﬄ", "ﬅ", "ﬆ": typographic ligatures split back into letters. */
export function splitLigatures(text: string): string {
  return /[\ufb00-\ufb06]/.test(text) ? text.replace(/[\ufb00-\ufb06]/g, (c) => c.normalize('NFKC')) : text;
}

/**
 * Words hyphenated across a line end joined back: "exem-\nple" → "exemple". Only between lower-case
 * letters, so that "Jean-\nPierre" and lists ("- item") are left alone.
 */
export function joinHyphenatedLines(text: string): string {
  return text.includes('-\n') ? text.replace(/(\p{Ll})[-\u00ad]\n[ \t]*(\p{Ll})/gu, '$1$2') : text;
}
