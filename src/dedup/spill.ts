import { closeSync, mkdtempSync, openSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Doc } from '../pipeline/doc.js';

/**
 * Documents written to JSON-lines files under a temporary folder, so that a stage that must see
 * every document before emitting one (a barrier) holds none of them in memory. A new file starts
 * every `fileBytes`; each file is one partition of the dedup steps.
 */
export class DocSpill {
  readonly dir: string;
  readonly files: string[] = [];
  count = 0;
  private fd = -1;
  private bytes = 0;
  private buf = '';

  constructor(
    private readonly fileBytes: number,
    tempRoot?: string,
  ) {
    this.dir = mkdtempSync(join(tempRoot ?? tmpdir(), 'villers-spill-'));
  }

  write(doc: Doc): void {
    if (this.fd < 0 || this.bytes >= this.fileBytes) this.rotate();
    const line = JSON.stringify(doc.raw ? { ...doc, raw: Buffer.from(doc.raw).toString('base64'), raw_base64: true } : doc) + '\n';
    this.buf += line;
    this.bytes += line.length;
    this.count++;
    if (this.buf.length >= 1 << 16) this.flush();
  }

  /** Closes the current file; returns the files in write order. */
  finish(): string[] {
    if (this.fd >= 0) {
      this.flush();
      closeSync(this.fd);
      this.fd = -1;
    }
    return this.files;
  }

  private rotate(): void {
    this.finish();
    const file = join(this.dir, `part-${String(this.files.length).padStart(5, '0')}.jsonl`);
    this.fd = openSync(file, 'w');
    this.files.push(file);
    this.bytes = 0;
  }

  private flush(): void {
    if (this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }
}

/** The Doc a spilled line was written from. */
export function restoreDoc(record: Record<string, unknown>): Doc {
  if (record.raw_base64 === true && typeof record.raw === 'string') {
    const { raw_base64: _, ...rest } = record;
    return { ...(rest as unknown as Doc), raw: new Uint8Array(Buffer.from(record.raw, 'base64')) };
  }
  return record as unknown as Doc;
}
