import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

/**
 * A slice of one JSON-lines input: the lines whose first byte lies in [start, end). Splitting files
 * by bytes lets one large `docs.jsonl` feed many tasks without copying it; gzip files cannot be
 * split and are one partition each.
 */
export interface Partition {
  file: string;
  start: number;
  end: number;
}

/** The partitions of `inputs`, in input order: the same list whatever the number of tasks. */
export function listPartitions(inputs: string[], partitionBytes: number): Partition[] {
  const parts: Partition[] = [];
  for (const file of inputs) {
    // A gzip file is read whole and its bounds are not used: it may not exist yet when planned
    // (a run's units, whose signatures start as each is finished).
    if (file.endsWith('.gz')) {
      parts.push({ file, start: 0, end: 0 });
      continue;
    }
    const size = statSync(file).size;
    if (size === 0) {
      parts.push({ file, start: 0, end: 0 });
      continue;
    }
    for (let start = 0; start < size; start += partitionBytes) parts.push({ file, start, end: Math.min(size, start + partitionBytes) });
  }
  return parts;
}

/** The partitions a task handles: every `world`-th one, from `rank`. */
export function partitionsOf<T>(items: T[], rank: number, world: number): { item: T; index: number }[] {
  if (!Number.isInteger(world) || world < 1 || !Number.isInteger(rank) || rank < 0 || rank >= world) {
    throw new Error(`invalid task rank ${rank} of world ${world}`);
  }
  return items.map((item, index) => ({ item, index })).filter(({ index }) => index % world === rank);
}

const CHUNK = 1 << 20;

/** The lines of a partition, without their line ending ("\r\n" too); empty lines included. */
export function* readLines(part: Partition): Generator<string> {
  if (part.file.endsWith('.gz')) {
    const text = gunzipSync(readFileSync(part.file)).toString('utf8');
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    for (const l of lines) yield l.endsWith('\r') ? l.slice(0, -1) : l;
    return;
  }
  const fd = openSync(part.file, 'r');
  try {
    let pos = part.start;
    const buf = Buffer.allocUnsafe(CHUNK);
    if (pos > 0) {
      // A line that began before `start` belongs to the previous partition: skip to its end.
      const one = Buffer.alloc(1);
      readSync(fd, one, 0, 1, pos - 1);
      if (one[0] !== 0x0a) {
        for (;;) {
          const n = readSync(fd, buf, 0, CHUNK, pos);
          if (n === 0) return;
          const nl = buf.indexOf(0x0a, 0);
          if (nl >= 0 && nl < n) {
            pos += nl + 1;
            break;
          }
          pos += n;
        }
      }
    }
    if (pos >= part.end) return;
    // Whole chunks are decoded at once and split: one string conversion per megabyte, not per line.
    let carry: Buffer | null = null;
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      const chunk: Buffer = carry ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const chunkStart = pos - (carry?.length ?? 0);
      pos += n;
      carry = null;
      const lastNl = chunk.lastIndexOf(0x0a);
      if (lastNl < 0) {
        carry = Buffer.from(chunk);
        continue;
      }
      if (chunkStart + lastNl + 1 >= part.end) {
        // The partition ends in this chunk, with the line that holds its last byte.
        const stop = chunk.indexOf(0x0a, Math.max(0, part.end - 1 - chunkStart));
        yield* splitLines(chunk.toString('utf8', 0, stop));
        return;
      }
      yield* splitLines(chunk.toString('utf8', 0, lastNl));
      if (lastNl + 1 < chunk.length) carry = Buffer.from(chunk.subarray(lastNl + 1));
    }
    if (carry && carry.length > 0) yield decode(carry);
  } finally {
    closeSync(fd);
  }
}

function* splitLines(text: string): Generator<string> {
  let from = 0;
  for (;;) {
    const nl = text.indexOf('\n', from);
    const end = nl < 0 ? text.length : nl;
    yield text.charCodeAt(end - 1) === 0x0d ? text.slice(from, end - 1) : text.slice(from, end);
    if (nl < 0) return;
    from = nl + 1;
  }
}

function decode(line: Buffer): string {
  const end = line.length > 0 && line[line.length - 1] === 0x0d ? line.length - 1 : line.length;
  return line.toString('utf8', 0, end);
}
