/**
 * The French word tokeniser shared by filters and deduplication.
 *
 * A word is a run of Unicode letters, digits and combining marks. Inside a word, a hyphen between
 * two word characters is kept ("peut-être", "a-t-il", "arc-en-ciel") and so is an apostrophe
 * ("aujourd'hui", "prud'hommes"), except after an elided word: "l'", "d'", "qu'", "j'", "lorsqu'"…
 * are words of their own ("l'homme" → "l'", "homme"), so that stop-word lists and n-grams see the
 * article. The typographic apostrophes ’ and ʼ count as ', and are written ' in returned words.
 *
 * Three entry points, from convenient to fast:
 * - `tokenize(text)` returns the words as strings;
 * - `forEachToken(text, visit)` calls `visit(start, end)` per word without allocating;
 * - `hashTokens(text, into)` writes one 32-bit hash per folded word (lower case, accents stripped
 *   unless told otherwise) into a reusable typed array: the input of shingling in hot loops.
 */

/** Character classes, per UTF-16 code unit. */
const OTHER = 1;
const WORD = 2;
const APOSTROPHE = 3;
const HYPHEN = 4;
const SURROGATE = 5;

/** One class per code unit, computed once at load (a few milliseconds). */
const classes = new Uint8Array(65536);
const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;

function classifySlow(c: number): number {
  if (c === 0x27 || c === 0x2019 || c === 0x02bc) return APOSTROPHE;
  if (c === 0x2d || c === 0x2010 || c === 0x2011) return HYPHEN;
  if (c >= 0xd800 && c <= 0xdfff) return SURROGATE;
  return WORD_CHAR.test(String.fromCharCode(c)) ? WORD : OTHER;
}
for (let c = 0; c < 65536; c++) classes[c] = classifySlow(c);

/** Astral characters are rare in French text: classified by code point, uncached. */
function astralIsWord(text: string, i: number): boolean {
  const cp = text.codePointAt(i)!;
  return cp > 0xffff && /^[\p{L}\p{N}\p{M}]$/u.test(String.fromCodePoint(cp));
}

/**
 * Elided forms, as numbers so that checking a word needs no string: each ASCII lower-case letter
 * is 5 bits (a = 1), which fits the longest form (7 letters) in 35 bits.
 */
const ELIDED = new Set(
  ['l', 'd', 'j', 'm', 'n', 's', 't', 'c', 'qu', 'jusqu', 'lorsqu', 'puisqu', 'quoiqu', 'presqu', 'quelqu'].map(packAscii),
);
const MAX_ELIDED = 6;

function packAscii(word: string): number {
  let v = 0;
  for (let i = 0; i < word.length; i++) v = v * 32 + (word.charCodeAt(i) - 96);
  return v;
}

function isElided(text: string, start: number, end: number): boolean {
  if (end - start > MAX_ELIDED) return false;
  let v = 0;
  for (let i = start; i < end; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 32;
    if (c < 0x61 || c > 0x7a) return false;
    v = v * 32 + (c - 96);
  }
  return ELIDED.has(v);
}

function isWordAt(text: string, i: number): boolean {
  if (i >= text.length) return false;
  const k = classes[text.charCodeAt(i)]!;
  return k === WORD || (k === SURROGATE && astralIsWord(text, i));
}

/**
 * Calls `visit(start, end)` for every word of `text`, in order (`text.slice(start, end)` is the
 * word; an elided word includes its apostrophe). Allocates nothing.
 */
export function forEachToken(text: string, visit: (start: number, end: number) => void): void {
  const n = text.length;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const k = classes[c]!;
    if (k === WORD || (k === SURROGATE && astralIsWord(text, i))) {
      if (start < 0) start = i;
      if (k === SURROGATE) i++;
      continue;
    }
    if (start < 0) continue;
    if ((k === APOSTROPHE || k === HYPHEN) && isWordAt(text, i + 1)) {
      if (k === APOSTROPHE && isElided(text, start, i)) {
        visit(start, i + 1);
        start = -1;
      }
      continue;
    }
    visit(start, i);
    start = -1;
  }
  if (start >= 0) visit(start, n);
}

export interface TokenizeOptions {
  /** Lower-case the words (default false: words as written). */
  lower?: boolean;
}

/** The words of `text` as strings, typographic apostrophes written '. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const words: string[] = [];
  const lower = options.lower === true;
  forEachToken(text, (start, end) => {
    let w = text.slice(start, end);
    if (w.includes('\u2019') || w.includes('\u02bc')) w = w.replace(/[\u2019\u02bc]/g, "'");
    words.push(lower ? w.toLowerCase() : w);
  });
  return words;
}

/** How many words `text` has, without building them. */
export function countTokens(text: string): number {
  let n = 0;
  forEachToken(text, () => {
    n++;
  });
  return n;
}

/**
 * Folding of code units before hashing: lower case, and (in the accent-free table) the base letter
 * of a decomposable letter; combining marks map to SKIP so NFD text hashes like NFC text.
 * Computed once at load.
 */
const SKIP = 0xffff;
const foldCase = new Uint16Array(65536);
const foldAccents = new Uint16Array(65536);

function computeFold(c: number, stripAccents: boolean): number {
  if (c >= 0x300 && c <= 0x36f) return stripAccents ? SKIP : c;
  if (c === 0x2019 || c === 0x02bc) return 0x27;
  if (c === 0x2010 || c === 0x2011) return 0x2d;
  if (c >= 0xd800 && c <= 0xdfff) return c;
  let s = String.fromCharCode(c);
  if (stripAccents) s = s.normalize('NFD');
  const lower = s.charAt(0).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}
for (let c = 0; c < 65536; c++) {
  foldCase[c] = computeFold(c, false);
  foldAccents[c] = computeFold(c, true);
}

/** Reusable output of `hashTokens`: `hashes[0..count)` are the word hashes of the last text. */
export class TokenHashes {
  hashes: Uint32Array;
  count = 0;
  constructor(capacity = 1024) {
    this.hashes = new Uint32Array(capacity);
  }
  push(h: number): void {
    if (this.count === this.hashes.length) {
      const grown = new Uint32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[this.count++] = h;
  }
}

export interface HashTokensOptions {
  /** Strip accents before hashing (default true: "été" and "ete" hash alike). Case is always folded. */
  stripAccents?: boolean;
}

/**
 * Hashes every word of `text` (folded) into `into` (reset first) and returns it. The words are the
 * ones `forEachToken` finds; each hash is FNV-1a over the folded code units, then murmur3's
 * finaliser so that all 32 bits are mixed. Allocates nothing once `into` is large enough.
 */
export function hashTokens(text: string, into: TokenHashes = new TokenHashes(), options: HashTokensOptions = {}): TokenHashes {
  const fold = options.stripAccents === false ? foldCase : foldAccents;
  into.count = 0;
  const n = text.length;
  let inWord = false;
  let start = 0;
  let h = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const k = classes[c]!;
    if (k === WORD || (k === SURROGATE && astralIsWord(text, i))) {
      if (!inWord) {
        inWord = true;
        start = i;
        h = 0x811c9dc5;
      }
      const f = fold[c]!;
      if (f !== SKIP) h = Math.imul(h ^ f, 0x01000193);
      if (k === SURROGATE) h = Math.imul(h ^ text.charCodeAt(++i), 0x01000193);
      continue;
    }
    if (!inWord) continue;
    if ((k === APOSTROPHE || k === HYPHEN) && isWordAt(text, i + 1)) {
      h = Math.imul(h ^ (k === APOSTROPHE ? 0x27 : 0x2d), 0x01000193);
      if (k === APOSTROPHE && isElided(text, start, i)) {
        into.push(fmix32(h));
        inWord = false;
      }
      continue;
    }
    into.push(fmix32(h));
    inWord = false;
  }
  if (inWord) into.push(fmix32(h));
  return into;
}

/** murmur3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
