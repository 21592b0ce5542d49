import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

export async function sha256Stream(stream: Readable | AsyncIterable<Uint8Array>): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Uint8Array);
  return hash.digest('hex');
}
