import { createRequire } from 'node:module';
import { compressors as jsCompressors } from 'hyparquet-compressors';
type Compressors = { ZSTD?: (input: Uint8Array) => Uint8Array };

export type Codec = 'ZSTD' | 'SNAPPY';

/**
 * zstd through the native `zstd-napi` (Node 20 has no zstd of its own); snappy, which
 * hyparquet-writer has built in, when the native module could not be built on this machine.
 */
export function parquetCompression(wanted: 'zstd' | 'snappy', level: number): { codec: Codec; compressors: Compressors; fallback?: string } {
  if (wanted === 'snappy') return { codec: 'SNAPPY', compressors: {} };
  try {
    const zstd = createRequire(import.meta.url)('zstd-napi') as typeof import('zstd-napi');
    return { codec: 'ZSTD', compressors: { ZSTD: (input) => zstd.compress(input, { compressionLevel: level }) } };
  } catch (e) {
    return { codec: 'SNAPPY', compressors: {}, fallback: `zstd-napi unavailable (${(e as Error).message.split('\n')[0]}), writing snappy` };
  }
}

type Decompressor = (input: Uint8Array, outputLength: number) => Uint8Array;

/**
 * hyparquet's decompressors for reading shards back (validate, versions, the site's distributions,
 * the parquet connector), with zstd through the native zstd-napi: several times faster than the
 * pure-JS fzstd that hyparquet-compressors ships, which stays the fallback (and the browser's).
 */
export const readCompressors: Record<string, Decompressor> = (() => {
  const js = jsCompressors as Record<string, Decompressor>;
  try {
    const zstd = createRequire(import.meta.url)('zstd-napi') as typeof import('zstd-napi');
    const fallback = js.ZSTD!;
    const ZSTD: Decompressor = (input, outputLength) => {
      try {
        const out = zstd.decompress(input);
        if (out.length === outputLength) return out;
      } catch {
        // a frame without its content size, say: the JS decoder is given the expected length
      }
      return fallback(input, outputLength);
    };
    return { ...js, ZSTD };
  } catch {
    return js;
  }
})();
