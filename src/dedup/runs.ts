import { closeSync, openSync, readSync, writeSync } from 'node:fs';

/**
 * Band key files: records of three little-endian u32 (key high, key low, document number), sorted by
 * key then document. They are written sorted by one task and merged by another, so no step holds
 * more than one partition's keys in memory.
 */
export const RECORD_BYTES = 12;

/** Sorts `count` records held in `recs` (3 u32 each) by key, then document, and writes them to `file`. */
export function writeSortedRun(file: string, recs: Uint32Array, count: number): void {
  const order = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  order.sort((a, b) => {
    const ha = recs[3 * a]!;
    const hb = recs[3 * b]!;
    if (ha !== hb) return ha < hb ? -1 : 1;
    const la = recs[3 * a + 1]!;
    const lb = recs[3 * b + 1]!;
    if (la !== lb) return la < lb ? -1 : 1;
    return recs[3 * a + 2]! - recs[3 * b + 2]!;
  });
  const out = new Uint32Array(count * 3);
  for (let i = 0; i < count; i++) {
    const j = order[i]! * 3;
    out[3 * i] = recs[j]!;
    out[3 * i + 1] = recs[j + 1]!;
    out[3 * i + 2] = recs[j + 2]!;
  }
  const fd = openSync(file, 'w');
  try {
    const bytes = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
  } finally {
    closeSync(fd);
  }
}

/** Reads a run in small blocks; `offset` is added to document numbers (global numbering). */
export class RunReader {
  hi = 0;
  lo = 0;
  doc = 0;
  done = false;
  private readonly fd: number;
  private readonly buf: Buffer;
  private view: Uint32Array;
  private pos = 0;
  private n = 0;
  private filePos = 0;

  constructor(
    file: string,
    private readonly offset: number,
    blockRecords = 4096,
  ) {
    this.fd = openSync(file, 'r');
    this.buf = Buffer.alloc(blockRecords * RECORD_BYTES);
    this.view = new Uint32Array(this.buf.buffer, this.buf.byteOffset, blockRecords * 3);
    this.next();
  }

  /** Moves to the next record; sets `done` (and closes the file) at the end. */
  next(): void {
    if (this.pos >= this.n) {
      const got = readSync(this.fd, this.buf, 0, this.buf.length, this.filePos);
      this.filePos += got;
      this.n = Math.floor(got / RECORD_BYTES);
      this.pos = 0;
      if (this.n === 0) {
        this.done = true;
        closeSync(this.fd);
        return;
      }
    }
    const v = this.view;
    const i = 3 * this.pos++;
    this.hi = v[i]!;
    this.lo = v[i + 1]!;
    this.doc = v[i + 2]! + this.offset;
  }
}

function less(a: RunReader, b: RunReader): boolean {
  if (a.hi !== b.hi) return a.hi < b.hi;
  if (a.lo !== b.lo) return a.lo < b.lo;
  return a.doc < b.doc;
}

/**
 * Merges sorted runs and calls `group(docs, count)` once per key with the documents that share it
 * (in increasing order; `docs` is reused between calls). Memory: one block per run.
 */
export function mergeRuns(readers: RunReader[], group: (docs: Uint32Array, count: number, hi: number, lo: number) => void): void {
  const heap = readers.filter((r) => !r.done);
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && less(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let docs = new Uint32Array(64);
  let count = 0;
  let hi = 0;
  let lo = 0;
  while (heap.length > 0) {
    const top = heap[0]!;
    if (count > 0 && (top.hi !== hi || top.lo !== lo)) {
      group(docs, count, hi, lo);
      count = 0;
    }
    if (count === 0) {
      hi = top.hi;
      lo = top.lo;
    }
    if (count === docs.length) {
      const grown = new Uint32Array(docs.length * 2);
      grown.set(docs);
      docs = grown;
    }
    docs[count++] = top.doc;
    top.next();
    if (top.done) {
      const last = heap.pop()!;
      if (heap.length > 0 && last !== top) heap[0] = last;
    }
    if (heap.length > 0) down(0);
  }
  if (count > 0) group(docs, count, hi, lo);
}

/** Appends u32 values to a file through a fixed buffer. */
export class U32Writer {
  private readonly fd: number;
  private readonly buf = new Uint32Array(16384);
  private n = 0;
  written = 0;
  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }
  push(v: number): void {
    this.buf[this.n++] = v;
    this.written++;
    if (this.n === this.buf.length) this.flush();
  }
  private flush(): void {
    const bytes = Buffer.from(this.buf.buffer, 0, this.n * 4);
    let off = 0;
    while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    this.n = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Calls `visit(a, b)` for each u32 pair of a file written by U32Writer. */
export function readPairs(file: string, visit: (a: number, b: number) => void): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  const view = new Uint32Array(buf.buffer, buf.byteOffset, buf.length / 4);
  let pos = 0;
  try {
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, pos);
      if (got === 0) return;
      pos += got;
      const n = got >> 2;
      for (let i = 0; i + 1 < n; i += 2) visit(view[i]!, view[i + 1]!);
    }
  } finally {
    closeSync(fd);
  }
}
