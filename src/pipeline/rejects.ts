import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createGzip, type Gzip } from 'node:zlib';
import { finished } from 'node:stream/promises';
import type { Doc } from './doc.js';

export interface RejectRecord {
  stage: string;
  reason: string;
  detail?: unknown;
  doc: Omit<Doc, 'raw'> & { raw_base64?: string };
}

/**
 * Writes every dropped document to `rejects/<stage>.jsonl.gz` with its reason, whole, so that nothing
 * a run drops is lost (datatrove's exclusion writer).
 */
export class RejectsWriter {
  private readonly streams = new Map<string, { gzip: Gzip; file: WriteStream }>();
  private readonly full = new Set<Gzip>();

  constructor(private readonly dir: string) {}

  write(stage: string, reason: string, doc: Doc, detail?: unknown): void {
    const { raw, ...rest } = doc;
    const record: RejectRecord = { stage, reason, doc: raw ? { ...rest, raw_base64: Buffer.from(raw).toString('base64') } : rest };
    if (detail !== undefined) record.detail = detail;
    const gzip = this.open(stage);
    if (!gzip.write(JSON.stringify(record) + '\n')) this.full.add(gzip);
  }

  /**
   * Resolves once the compressors have caught up, or returns null when none is behind. The run awaits
   * it between documents, so a stage that rejects a lot cannot fill memory with pending rejects.
   */
  drained(): Promise<void> | null {
    if (this.full.size === 0) return null;
    const waits = [...this.full].map((g) => new Promise<void>((resolve) => g.once('drain', () => resolve())));
    this.full.clear();
    return Promise.all(waits).then(() => undefined);
  }

  private open(stage: string): Gzip {
    let s = this.streams.get(stage);
    if (!s) {
      mkdirSync(this.dir, { recursive: true });
      const gzip = createGzip();
      const file = createWriteStream(join(this.dir, `${stage}.jsonl.gz`));
      gzip.pipe(file);
      s = { gzip, file };
      this.streams.set(stage, s);
    }
    return s.gzip;
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.streams.values()].map(async ({ gzip, file }) => {
        gzip.end();
        await finished(file);
      }),
    );
    this.streams.clear();
  }
}
