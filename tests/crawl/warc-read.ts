import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { WARCParser } from 'warcio';

/** Every record of a crawl's WARC files, read with warcio (Webrecorder's reader, not ours). */
export async function readWarc(crawlDir: string): Promise<{ type: string; uri: string; status: number | undefined; payload: Uint8Array }[]> {
  const out = [];
  for (const f of readdirSync(join(crawlDir, 'warc')).sort()) {
    const parser = new WARCParser(Readable.from([readFileSync(join(crawlDir, 'warc', f))]));
    for await (const record of parser) {
      const payload = await record.readFully(true);
      out.push({ type: record.warcType ?? '', uri: record.warcTargetURI ?? '', status: record.httpHeaders?.statusCode as number | undefined, payload });
    }
  }
  return out;
}
