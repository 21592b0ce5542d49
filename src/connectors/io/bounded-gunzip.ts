import { peekFirstChunk } from './peek.js';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export class DecompressionLimit extends Error {
  readonly reason = 'decompressed_too_large';
  constructor(readonly limit: number) {
    super(`gzip stream expands past ${limit} bytes (refused: decompression bomb or a file over the limit)`);
    this.name = 'DecompressionLimit';
  }
}

/** A gzip stream that is not valid gzip (corrupt, truncated). */
export class BrokenGzip extends Error {
  readonly reason = 'broken_gzip';
  constructor(readonly detail: string) {
    super(`broken gzip data: ${detail}`);
    this.name = 'BrokenGzip';
  }
}

export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Gunzips a stream, stopping as soon as the output passes `maxBytes`: a 10 KB bomb that expands to
 * 10 GB costs 10 GB of nothing, since we stop at the limit. Multi-member gzip files are read whole.
 */
export async function* boundedGunzip(source: AsyncIterable<Uint8Array>, maxBytes: number, options: { chunkSize?: number } = {}): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip(options.chunkSize ? { chunkSize: options.chunkSize } : {});
  const input = Readable.from(source);
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let n = 0;
  try {
    const it = (gunzip as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    for (;;) {
      let r: IteratorResult<Buffer>;
      try {
        r = await it.next();
      } catch (e) {
        const code = (e as { code?: string }).code ?? '';
        if (code.startsWith('Z_') || /unexpected end of file|incorrect header|invalid/i.test((e as Error).message)) throw new BrokenGzip((e as Error).message);
        throw e;
      }
      if (r.done) return;
      n += r.value.byteLength;
      if (n > maxBytes) throw new DecompressionLimit(maxBytes);
      yield r.value;
    }
  } finally {
    input.unpipe(gunzip);
    input.destroy();
    gunzip.destroy();
  }
}

/** Passes plain bytes through and gunzips gzip ones, told apart by their magic number. */
export async function* maybeGunzip(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  const peeked = await peekFirstChunk(source);
  if (!peeked) return;
  const { first, all: rest } = peeked;
  if (isGzip(first)) yield* boundedGunzip(rest, maxBytes);
  else yield* rest;
}
