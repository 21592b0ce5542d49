import { Readable } from 'node:stream';
import bz2 from 'unbzip2-stream';
import { DecompressionLimit } from './bounded-gunzip.js';

export function isBzip2(head: Uint8Array): boolean {
  return head[0] === 0x42 && head[1] === 0x5a && head[2] === 0x68; // "BZh"
}

export class CorruptCompression extends Error {
  readonly reason = 'corrupt_compressed_stream';
  constructor(format: string, message: string) {
    super(`${format} stream is corrupt: ${message}`);
    this.name = 'CorruptCompression';
  }
}

/**
 * bunzip2 of a stream (multistream dumps included: unbzip2-stream reads concatenated streams),
 * stopping once the output passes `maxBytes`, so a bz2 bomb costs nothing beyond the limit.
 */
export async function* boundedBunzip2(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  const decoder = bz2();
  const input = Readable.from(source);
  const output = new Readable({ read() {} });
  input.on('error', (e) => output.destroy(e));
  decoder.on('error', (e: Error) => output.destroy(new CorruptCompression('bzip2', e.message)));
  decoder.on('data', (c: Buffer) => {
    if (!output.push(c)) input.pause();
  });
  decoder.on('end', () => output.push(null));
  output._read = () => input.resume();
  input.pipe(decoder as unknown as NodeJS.WritableStream);
  let n = 0;
  try {
    for await (const chunk of output as AsyncIterable<Buffer>) {
      n += chunk.byteLength;
      if (n > maxBytes) throw new DecompressionLimit(maxBytes);
      yield chunk;
    }
  } finally {
    input.unpipe();
    input.destroy();
    output.destroy();
  }
}
