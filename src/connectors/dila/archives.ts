import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import { boundedGunzip, DecompressionLimit } from '../io/bounded-gunzip.js';

/** A .tar.gz that cannot be read to its end: bad gzip data, a broken tar header, a truncation. */
export class BrokenArchive extends Error {
  readonly reason = 'broken_archive';
}

/**
 * DILA archives are a full dump (`Freemium_legi_global_20240101-000000.tar.gz`) and then one
 * incremental archive a day (`LEGI_20240102-210000.tar.gz`): applied in the order of the time in
 * their name, the global one first.
 */
export function archiveOrder(names: string[]): string[] {
  const key = (n: string) => {
    const b = basename(n);
    const stamp = /(\d{8}-\d{6})/.exec(b)?.[1] ?? '';
    return `${/global/i.test(b) ? '0' : '1'}${stamp}${b}`;
  };
  return [...names].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export async function listArchives(path: string): Promise<string[]> {
  if ((await stat(path)).isFile()) return [path];
  const entries = await readdir(path, { withFileTypes: true });
  return archiveOrder(entries.filter((e) => e.isFile() && /\.(tar\.gz|tgz)$/i.test(e.name)).map((e) => join(path, e.name)));
}

export interface TarEntry {
  name: string;
  size: number;
  /** The entry's bytes, read only when asked for (otherwise skipped). */
  read(): Promise<Buffer>;
}

/** The file entries of a .tar.gz, streamed; the gzip stream is bounded by `maxBytes` expanded. */
export async function* tarEntries(file: string, maxBytes: number): AsyncIterable<TarEntry> {
  const extract = tar.extract();
  const input = Readable.from(boundedGunzip(createReadStream(file), maxBytes));
  input.on('error', (e) => extract.destroy(e));
  input.pipe(extract);
  const entries = extract[Symbol.asyncIterator]();
  for (;;) {
    let next: Awaited<ReturnType<typeof entries.next>>;
    try {
      next = await entries.next();
    } catch (e) {
      if (e instanceof DecompressionLimit) throw e;
      throw new BrokenArchive(`${file}: ${(e as Error).message}`);
    }
    if (next.done) return;
    const entry = next.value;
    const header = entry.header;
    if (header.type !== 'file') {
      entry.resume();
      continue;
    }
    let consumed = false;
    yield {
      name: header.name,
      size: header.size ?? 0,
      read: async () => {
        consumed = true;
        const parts: Buffer[] = [];
        try {
          for await (const c of entry) parts.push(c as Buffer);
        } catch (e) {
          if (e instanceof DecompressionLimit) throw e;
          throw new BrokenArchive(`${file}: ${header.name}: ${(e as Error).message}`);
        }
        return Buffer.concat(parts);
      },
    };
    if (!consumed) entry.resume();
  }
}
