import { forEachToken } from '../text/tokenize.js';

/**
 * The words of a text as the filters need them, from the shared French tokeniser (elisions split:
 * "l'homme" is "l'" and "homme"): their lengths, a hash of each as written (for n-gram counting
 * without building strings) and how many contain a letter.
 */
export interface Words {
  count: number;
  lengths: Uint32Array;
  hashes: Uint32Array;
  starts: Uint32Array;
  withLetter: number;
  totalLength: number;
}

let capacity = 4096;
let lengths = new Uint32Array(capacity);
let hashes = new Uint32Array(capacity);
let starts = new Uint32Array(capacity);

/**
 * Reads the words of `text` into buffers reused across calls (the result is valid until the
 * next call; filters run one document at a time per thread).
 */
let lastText: string | null = null;
let last: Words | null = null;

export function readWords(text: string): Words {
  // Consecutive filter stages see the same string: read it once.
  if (text === lastText && last) return last;
  let count = 0;
  let withLetter = 0;
  let totalLength = 0;
  forEachToken(text, (start, end) => {
    if (count === capacity) grow();
    let h = 0x811c9dc5;
    let letter = false;
    for (let i = start; i < end; i++) {
      let c = text.charCodeAt(i);
      if (c === 0x2019 || c === 0x02bc) c = 0x27;
      h = Math.imul(h ^ c, 0x01000193);
      if (!letter && !(c >= 0x30 && c <= 0x39) && c !== 0x27 && c !== 0x2d) letter = true;
    }
    if (letter) withLetter++;
    lengths[count] = end - start;
    hashes[count] = h >>> 0;
    starts[count] = start;
    totalLength += end - start;
    count++;
  });
  lastText = text;
  last = { count, lengths, hashes, starts, withLetter, totalLength };
  return last;
}

function grow(): void {
  capacity *= 2;
  const l = new Uint32Array(capacity);
  l.set(lengths);
  lengths = l;
  const h = new Uint32Array(capacity);
  h.set(hashes);
  hashes = h;
  const s = new Uint32Array(capacity);
  s.set(starts);
  starts = s;
}

/** The word at index `i`, lower-cased with the typographic apostrophe written '. */
export function wordAt(text: string, words: Words, i: number): string {
  const s = words.starts[i]!;
  return text
    .slice(s, s + words.lengths[i]!)
    .toLowerCase()
    .replace(/[\u2019\u02bc]/g, "'");
}
