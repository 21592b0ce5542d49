import { createRequire } from 'node:module';
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
