import { compressors as jsCompressors } from 'hyparquet-compressors';
import fc from 'fast-check';
import { Compressor, compress } from 'zstd-napi';
import { describe, expect, it } from 'vitest';
import { readCompressors } from '../../src/release/compression.js';

type Decompress = (input: Uint8Array, outputLength: number) => Uint8Array;
const nativeZstd = readCompressors.ZSTD!;
const jsZstd = (jsCompressors as Record<string, Decompress>).ZSTD!;

describe('reading zstd pages back', () => {
  it('decodes natively exactly what the pure-JS decoder decodes (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20_000 }), fc.integer({ min: 1, max: 19 }), (bytes, level) => {
        const frame = compress(Buffer.from(bytes), { compressionLevel: level });
        expect(Buffer.from(nativeZstd(frame, bytes.length))).toEqual(Buffer.from(jsZstd(frame, bytes.length)));
      }),
      { numRuns: 100 },
    );
  });

  it('still decodes a frame that does not record its size (other writers may omit it)', () => {
    const text = Buffer.from('La rivière coule sous le pont de pierre. '.repeat(500));
    const c = new Compressor();
    c.setParameters({ contentSizeFlag: false });
    const frame = c.compress(text);
    expect(Buffer.from(nativeZstd(frame, text.length)).toString()).toBe(text.toString());
  });
});
