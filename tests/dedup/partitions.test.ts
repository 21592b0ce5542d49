import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { listPartitions, partitionsOf, readLines } from '../../src/dedup/partitions.js';
import { tempDir } from './helpers.js';

describe('partitions of JSON-lines inputs', () => {
  it('read every line exactly once, in order, whatever the partition size (property)', () => {
    const dir = tempDir();
    let n = 0;
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'é', '€', ' ', '\r', '𝄞') }), { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), fc.boolean(), (lines, size, trailingNewline) => {
        const file = join(dir, `f${n++}.jsonl`);
        const body = lines.map((l) => l.replace(/\r/g, '')).join('\n');
        const content = body + (trailingNewline && lines.length > 0 ? '\n' : '');
        writeFileSync(file, content);
        const got = listPartitions([file], size).flatMap((p) => [...readLines(p)]);
        // A file's lines: what its newlines end, and an unterminated last line if not empty.
        const want = content.split('\n');
        if (want.at(-1) === '') want.pop();
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('strip CRLF endings and read gzip files whole', () => {
    const dir = tempDir();
    const file = join(dir, 'a.jsonl.gz');
    writeFileSync(file, gzipSync('un\r\ndeux\r\n'));
    const parts = listPartitions([file], 1);
    expect(parts).toHaveLength(1);
    expect([...readLines(parts[0]!)]).toEqual(['un', 'deux']);
  });

  it('give each rank every world-th partition and reject impossible ranks', () => {
    expect(partitionsOf(['a', 'b', 'c', 'd', 'e'], 1, 2).map((x) => x.item)).toEqual(['b', 'd']);
    expect(() => partitionsOf(['a'], 2, 2)).toThrow(/rank 2 of world 2/);
  });
});
