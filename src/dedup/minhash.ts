import { z } from 'zod';
import { fmix32, hashTokens, TokenHashes } from '../text/tokenize.js';

/** How signatures are computed; every step of a dedup run must use the same values. */
export const MinHashParams = z
  .object({
    bands: z.number().int().min(1).max(64).default(14).describe('LSH bands: documents sharing one band are candidates'),
    rows: z.number().int().min(1).max(32).default(8).describe('signature values per band'),
    ngram: z.number().int().min(1).max(16).default(5).describe('words per shingle'),
    seed: z.number().int().min(0).default(1).describe('seed of the hash permutations'),
    scheme: z
      .enum(['permutations', 'one-permutation'])
      .default('one-permutation')
      .describe(
        'permutations: classic MinHash, one hash per value per shingle; one-permutation: one hash per shingle split into bins, empty bins densified (Shrivastava 2017), same collision probability, bands*rows times less hashing',
      ),
    strip_accents: z.boolean().default(true).describe('fold accents before hashing words'),
  })
  .strict();
export type MinHashParams = z.output<typeof MinHashParams>;

/** A small deterministic generator for permutation constants (splitmix32). */
function constants(seed: number, count: number): Int32Array {
  const out = new Int32Array(count);
  let s = seed | 0;
  for (let i = 0; i < count; i++) {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    out[i] = z ^ (z >>> 16);
  }
  return out;
}

const SIGN = 0x80000000 | 0;
const SHINGLE_BASE = 0x01000193;
const EMPTY = 0x7fffffff;

/**
 * Computes MinHash signatures of texts: word n-grams (French tokeniser, folded) hashed to 32 bits,
 * `bands * rows` minimum values. One instance is reused for every document of a worker: the token
 * and signature buffers are allocated once.
 */
export class MinHasher {
  readonly params: MinHashParams;
  readonly size: number;
  private readonly tokens = new TokenHashes(4096);
  private readonly mulA: Int32Array;
  private readonly addB: Int32Array;
  /** Signed-shifted minima (value ^ 0x80000000) so that signed comparison is unsigned order. */
  private readonly mins: Int32Array;
  private readonly filled: Int32Array;

  constructor(params: Partial<MinHashParams> = {}) {
    this.params = MinHashParams.parse(params);
    this.size = this.params.bands * this.params.rows;
    const c = constants(this.params.seed, this.size * 2 + 2);
    this.mulA = c.subarray(0, this.size).map((a) => a | 1);
    this.addB = c.subarray(this.size, this.size * 2);
    this.mins = new Int32Array(this.size);
    this.filled = new Int32Array(this.size);
  }

  /**
   * Writes the signature of `text` into `out` (length `size`) and returns the number of shingles,
   * 0 when the text has no word (then `out` is left unspecified and the document has no signature).
   */
  signature(text: string, out: Uint32Array): number {
    const { ngram, seed } = this.params;
    const t = hashTokens(text, this.tokens, { stripAccents: this.params.strip_accents });
    const words = t.count;
    if (words === 0) return 0;
    const w = t.hashes;
    const n = Math.max(1, words - ngram + 1);
    const span = Math.min(ngram, words);
    const mins = this.mins;
    mins.fill(EMPTY);
    const oph = this.params.scheme === 'one-permutation';
    const size = this.size;
    const mulA = this.mulA;
    const addB = this.addB;
    // Rolling polynomial hash of the n-gram's word hashes: three multiplications per shingle
    // whatever the n-gram length; fmix32 then spreads it over all bits.
    let roll = 0;
    let top = 1;
    for (let j = 0; j < span; j++) {
      roll = (Math.imul(roll, SHINGLE_BASE) + w[j]!) | 0;
      if (j > 0) top = Math.imul(top, SHINGLE_BASE);
    }
    const salt = seed ^ span;
    for (let i = 0; i < n; i++) {
      if (i > 0) roll = (Math.imul((roll - Math.imul(w[i - 1]!, top)) | 0, SHINGLE_BASE) + w[i + span - 1]!) | 0;
      const h = fmix32(roll ^ salt);
      if (oph) {
        // The top bits choose the bin, a second mix the value compared inside it.
        const bin = ((h >>> 0) * size) / 4294967296 | 0;
        const v = (Math.imul(h ^ 0x5bd1e995, 0x27d4eb2f) ^ (h >>> 13)) ^ SIGN;
        if (v < mins[bin]!) mins[bin] = v;
      } else {
        for (let p = 0; p < size; p++) {
          let v = (Math.imul(h, mulA[p]!) + addB[p]!) | 0;
          v = (v ^ (v >>> 16)) ^ SIGN;
          if (v < mins[p]!) mins[p] = v;
        }
      }
    }
    if (oph) this.densify();
    for (let p = 0; p < size; p++) out[p] = (mins[p]! ^ SIGN) >>> 0;
    return n;
  }

  /**
   * Optimal densification: an empty bin takes the value of the first non-empty bin that a hash of
   * (bin, attempt) points to, so two documents with the same bins fill them the same way.
   */
  private densify(): void {
    const mins = this.mins;
    const size = this.size;
    let empty = 0;
    for (let p = 0; p < size; p++) if (mins[p] === EMPTY) empty++;
    if (empty === 0 || empty === size) return;
    const filled = this.filled;
    filled.set(mins);
    for (let p = 0; p < size; p++) {
      if (filled[p] !== EMPTY) continue;
      for (let attempt = 1; ; attempt++) {
        const q = (fmix32(Math.imul(p + 1, 0x9e3779b1) ^ Math.imul(attempt, 0x85ebca6b)) % size) >>> 0;
        if (filled[q] !== EMPTY) {
          mins[p] = filled[q]! ^ attempt;
          break;
        }
      }
    }
  }
}

/**
 * The 64-bit key of band `band` of a signature, as two 32-bit halves written at out[2*band], out[2*band+1]:
 * equal keys mean equal rows (up to a 2^-64 chance).
 */
export function bandKeys(sig: Uint32Array, bands: number, rows: number, out: Uint32Array): void {
  for (let b = 0; b < bands; b++) {
    let h1 = 0x9747b28c ^ b;
    let h2 = 0x2f0b5a67 ^ Math.imul(b, 0x85ebca6b);
    const base = b * rows;
    for (let r = 0; r < rows; r++) {
      const v = sig[base + r]!;
      h1 = Math.imul(h1 ^ v, 0xcc9e2d51);
      h1 = (h1 << 13) | (h1 >>> 19);
      h2 = Math.imul(h2 ^ v, 0x1b873593);
      h2 = (h2 << 15) | (h2 >>> 17);
      h2 = (h2 + h1) | 0;
    }
    out[2 * b] = fmix32(h1 ^ rows);
    out[2 * b + 1] = fmix32(h2 ^ h1);
  }
}
