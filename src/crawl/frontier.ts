import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export type EntryKind = 'page' | 'sitemap' | 'feed';

export interface FrontierEntry {
  url: string;
  kind: EntryKind;
  depth: number;
  /** Redirect hops that led here. */
  hops: number;
  via?: string;
  /** Validators from the previous generation, for a conditional refresh. */
  etag?: string;
  lastModified?: string;
}

export interface DoneRecord {
  url: string;
  outcome: string;
  status?: number;
  etag?: string;
  lastModified?: string;
  [k: string]: unknown;
}

type LogLine =
  | ({ t: 'add'; gen: number } & FrontierEntry)
  | ({ t: 'done'; gen: number } & DoneRecord)
  | { t: 'generation'; gen: number };

/**
 * The crawl's to-do list and memory, kept as an append-only JSON-lines journal: `add` when a URL is
 * first discovered, `done` once its outcome (and any WARC record) is written. Each line is written
 * synchronously, so after a kill at any instant, replaying the journal gives back every URL still to
 * do and every URL finished: none fetched twice, none lost. A refresh starts a new generation in
 * which finished pages are to do again, with the validators they had.
 */
export class Frontier {
  private fd: number;
  private gen = 1;
  private readonly seen = new Set<string>();
  private readonly done = new Map<string, DoneRecord>();
  private readonly pending = new Map<string, FrontierEntry>();

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) this.replay(readFileSync(path, 'utf8'));
    this.fd = openSync(path, 'a');
  }

  private replay(text: string): void {
    const lines = text.split('\n');
    // A kill can cut the last line short: it is ignored (the URL it was about is still pending).
    for (const line of lines) {
      if (!line) continue;
      let r: LogLine;
      try {
        r = JSON.parse(line) as LogLine;
      } catch {
        continue;
      }
      if (r.t === 'generation') this.startGenerationInMemory(r.gen);
      else if (r.t === 'add') {
        const { t: _t, gen: _g, ...entry } = r;
        this.seen.add(entry.url);
        this.pending.set(entry.url, entry);
      } else if (r.t === 'done') {
        const { t: _t, gen: _g, ...rec } = r;
        this.seen.add(rec.url);
        this.done.set(rec.url, rec);
        if (r.gen === this.gen) this.pending.delete(rec.url);
      }
    }
  }

  private startGenerationInMemory(gen: number): void {
    this.gen = gen;
    // Pages still to do from the last generation stay to do; finished ones come back.
    for (const rec of this.done.values()) {
      if (rec.outcome !== 'fetched' && rec.outcome !== 'unchanged') continue;
      this.pending.set(rec.url, {
        url: rec.url,
        kind: 'page',
        depth: typeof rec.depth === 'number' ? rec.depth : 0,
        hops: 0,
        ...(rec.etag ? { etag: rec.etag } : {}),
        ...(rec.lastModified ? { lastModified: rec.lastModified } : {}),
      });
    }
  }

  private append(line: LogLine): void {
    writeSync(this.fd, JSON.stringify(line) + '\n');
  }

  get generation(): number {
    return this.gen;
  }

  /** Every page fetched before comes back to do, with its ETag/Last-Modified for a conditional GET. */
  startRefresh(): void {
    this.append({ t: 'generation', gen: this.gen + 1 });
    this.startGenerationInMemory(this.gen + 1);
  }

  isPending(url: string): boolean {
    return this.pending.has(url);
  }

  has(url: string): boolean {
    return this.seen.has(url);
  }

  /** Adds a URL never seen before; returns false for one already known (dedupe). */
  add(entry: FrontierEntry): boolean {
    if (this.seen.has(entry.url)) return false;
    this.seen.add(entry.url);
    this.pending.set(entry.url, entry);
    this.append({ t: 'add', gen: this.gen, ...entry });
    return true;
  }

  /** Marks a URL known and finished without fetching it (e.g. the canonical of a page just fetched). */
  alias(url: string, record: DoneRecord): void {
    if (this.seen.has(url) && !this.pending.has(url)) return;
    this.seen.add(url);
    this.pending.delete(url);
    this.done.set(url, record);
    this.append({ t: 'done', gen: this.gen, ...record });
  }

  finish(record: DoneRecord): void {
    this.pending.delete(record.url);
    this.done.set(record.url, record);
    this.append({ t: 'done', gen: this.gen, ...record });
  }

  pendingEntries(): FrontierEntry[] {
    return [...this.pending.values()];
  }

  doneRecord(url: string): DoneRecord | undefined {
    return this.done.get(url);
  }

  get doneCount(): number {
    return this.done.size;
  }

  /** Pages counted against max_pages: those fetched (or found unchanged) in any generation. */
  countOutcome(outcomes: string[]): number {
    let n = 0;
    for (const r of this.done.values()) if (outcomes.includes(r.outcome)) n++;
    return n;
  }

  close(): void {
    closeSync(this.fd);
  }
}
