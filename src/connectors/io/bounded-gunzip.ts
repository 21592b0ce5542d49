import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

export class DecompressionLimit extends Error {
  readonly reason = 'decompressed_too_large';
  constructor(readonly limit: number) {
    super(`gzip stream expands past ${limit} bytes (refused: decompression bomb or a file over the limit)`);
    this.name = 'DecompressionLimit';
  }
}

export function isGzip(head: Uint8Array): boolean {
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Gunzips a stream, stopping as soon as the output passes `maxBytes`: a 10 KB bomb that expands to
 * 10 GB costs 10 GB of nothing, since we stop at the limit. Multi-member gzip files are read whole.
 */
export async function* boundedGunzip(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  const gunzip = createGunzip();
  const input = Readable.from(source);
  input.on('error', (e) => gunzip.destroy(e));
  input.pipe(gunzip);
  let n = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      n += chunk.byteLength;
      if (n > maxBytes) throw new DecompressionLimit(maxBytes);
      yield chunk;
    }
  } finally {
    input.unpipe(gunzip);
    input.destroy();
    gunzip.destroy();
  }
}

/** Passes plain bytes through and gunzips gzip ones, told apart by their magic number. */
export async function* maybeGunzip(source: AsyncIterable<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  const it = source[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const rest: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      yield first.value;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    },
  };
  if (isGzip(first.value)) yield* boundedGunzip(rest, maxBytes);
  else yield* rest;
}
