const SEPARATOR_CHAR = /^[\s\p{P}\p{S}\p{N}]$/u;
const SEPARATOR = 0xffff;
const SLOW = 0xfffe;
/** Per code unit: its one-unit lower case, SEPARATOR, or SLOW (surrogates, multi-unit lower case). */
const LOWER = new Uint16Array(65536);
for (let c = 0; c < 65536; c++) {
  if (c >= 0xd800 && c <= 0xdfff) LOWER[c] = SLOW;
  else {
    const ch = String.fromCharCode(c);
    const lower = ch.toLowerCase();
    LOWER[c] = SEPARATOR_CHAR.test(ch) ? SEPARATOR : lower.length === 1 && lower.charCodeAt(0) < SLOW ? lower.charCodeAt(0) : SLOW;
  }
}
let out = new Uint16Array(4096);

/**
 * The text key of exact deduplication: case folded, runs of whitespace, punctuation, symbols and
 * digits each folded to one space, ends trimmed, accents kept ("côte" and "cote" are different
 * French words). Same result as
 * `text.normalize('NFC').toLowerCase().replace(/[\s\p{P}\p{S}\p{N}]+/gu, ' ').trim()`, except that
 * case is folded one character at a time (no final-sigma rule), in a single pass over typed
 * arrays: this runs once per document of a corpus.
 */
export function foldForDedup(text: string): string {
  const s = text.normalize('NFC');
  const n = s.length;
  if (out.length < n) out = new Uint16Array(Math.max(n, out.length * 2));
  let o = out;
  let len = 0;
  let space = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const lower = LOWER[c]!;
    if (lower === SEPARATOR) {
      if (len > 0) space = true;
      continue;
    }
    if (lower !== SLOW) {
      if (space) {
        o[len++] = 0x20;
        space = false;
      }
      o[len++] = lower;
      continue;
    }
    // Astral characters and the few whose lower case is longer than one unit (İ → i̇).
    const cp = s.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    if (cp > 0xffff) i++;
    if (SEPARATOR_CHAR.test(ch)) {
      if (len > 0) space = true;
      continue;
    }
    const folded = ch.toLowerCase();
    if (len + folded.length + 1 > o.length) {
      const grown = new Uint16Array(o.length * 2 + folded.length + 1);
      grown.set(o.subarray(0, len));
      out = o = grown;
    }
    if (space) {
      o[len++] = 0x20;
      space = false;
    }
    for (let k = 0; k < folded.length; k++) o[len++] = folded.charCodeAt(k);
  }
  // UTF-16 code units straight into a string (lone surrogates kept as they are).
  return Buffer.from(o.buffer, o.byteOffset, len * 2).toString('utf16le');
}
