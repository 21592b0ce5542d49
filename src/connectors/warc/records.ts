import type { ByteReader } from '../io/byte-reader.js';

/**
 * WARC (ISO 28500, 1.0 and 1.1) and legacy ARC records read one at a time from an uncompressed
 * stream. The reader never gives up on a file because one record is bad: damage becomes a
 * `problem` item with its offset and reason, and reading resumes at the next `WARC/` line.
 */

export interface WarcLimits {
  /** Largest block kept in memory; a bigger record is skipped (and reported). */
  maxRecordBytes: number;
  /** Largest header section of one record. */
  maxHeaderBytes: number;
}

export interface WarcRecord {
  format: 'warc' | 'arc';
  version: string;
  /** WARC header fields by lower-case name (first occurrence wins). */
  headers: Map<string, string>;
  type: string;
  /** Offset of the record's first byte in the uncompressed stream. */
  offset: number;
  block: Buffer;
}

export type WarcProblemReason = 'garbage_skipped' | 'bad_header' | 'header_too_large' | 'missing_content_length' | 'record_too_large' | 'truncated_record';

export interface WarcProblem {
  reason: WarcProblemReason;
  offset: number;
  message: string;
  headers?: Map<string, string>;
}

export type WarcItem = { kind: 'record'; record: WarcRecord } | { kind: 'problem'; problem: WarcProblem };

const WARC_LINE = /^WARC\/(\d+\.\d+)\r?$/;

function trimEol(b: Buffer): string {
  let end = b.length;
  if (end > 0 && b[end - 1] === 0x0d) end--;
  return b.toString('utf8', 0, end);
}

/** Header lines up to the blank line; `null` when they overflow `max` or the stream ends first. */
async function readHeaderLines(reader: ByteReader, max: number): Promise<{ lines: string[] } | { error: 'header_too_large' | 'truncated_record' }> {
  const lines: string[] = [];
  let size = 0;
  for (;;) {
    const l = await reader.readLine(max);
    if (!l) return { error: 'truncated_record' };
    size += l.line.length + 1;
    if (l.long || size > max) return { error: 'header_too_large' };
    const text = trimEol(l.line);
    if (text === '') return { lines };
    lines.push(text);
  }
}

function parseFields(lines: string[]): Map<string, string> | null {
  const headers = new Map<string, string>();
  let last: string | null = null;
  for (const line of lines) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && last) {
      headers.set(last, `${headers.get(last)} ${line.trim()}`); // folded continuation line
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    last = name;
  }
  return headers;
}

export async function* readWarcRecords(reader: ByteReader, limits: WarcLimits): AsyncIterable<WarcItem> {
  let garbageFrom = -1;
  let garbageBytes = 0;
  const flushGarbage = function* (): Iterable<WarcItem> {
    if (garbageFrom < 0) return;
    yield { kind: 'problem', problem: { reason: 'garbage_skipped', offset: garbageFrom, message: `${garbageBytes} bytes between records are not WARC and were skipped` } };
    garbageFrom = -1;
    garbageBytes = 0;
  };
  let arc: boolean | null = null;
  for (;;) {
    const start = reader.offset;
    const l = await reader.readLine(limits.maxHeaderBytes);
    if (!l) break;
    const first = trimEol(l.line);
    if (arc === null && !l.long) arc = first.startsWith('filedesc://');
    if (arc) {
      if (first.trim() === '') continue;
      const item = await readArcRecord(reader, first, start, limits);
      if (item) yield item;
      continue;
    }
    const m = l.long ? null : WARC_LINE.exec(first);
    if (!m) {
      // The record separator (CRLF CRLF) and blank lines land here as empty lines; anything else
      // is damage, counted once per run of garbage.
      if (first !== '' || l.long) {
        if (garbageFrom < 0) garbageFrom = start;
        garbageBytes += reader.offset - start;
      }
      continue;
    }
    yield* flushGarbage();
    const h = await readHeaderLines(reader, limits.maxHeaderBytes);
    if ('error' in h) {
      yield { kind: 'problem', problem: { reason: h.error, offset: start, message: h.error === 'header_too_large' ? `WARC header over ${limits.maxHeaderBytes} bytes` : 'stream ends inside a WARC header' } };
      continue;
    }
    const headers = parseFields(h.lines);
    if (!headers) {
      yield { kind: 'problem', problem: { reason: 'bad_header', offset: start, message: 'a WARC header line has no "name: value" form' } };
      continue;
    }
    const lengthText = headers.get('content-length') ?? '';
    if (!/^\d+$/.test(lengthText)) {
      yield { kind: 'problem', problem: { reason: 'missing_content_length', offset: start, message: `Content-Length is "${lengthText}"`, headers } };
      continue;
    }
    const length = Number(lengthText);
    if (length > limits.maxRecordBytes) {
      const skipped = await reader.skip(length);
      yield { kind: 'problem', problem: { reason: skipped < length ? 'truncated_record' : 'record_too_large', offset: start, message: `block of ${length} bytes is over the ${limits.maxRecordBytes}-byte limit`, headers } };
      continue;
    }
    const block = await reader.read(length);
    if (block.length < length) {
      yield { kind: 'problem', problem: { reason: 'truncated_record', offset: start, message: `block has ${block.length} of its ${length} bytes (file truncated)`, headers } };
      break;
    }
    yield { kind: 'record', record: { format: 'warc', version: m[1]!, headers, type: (headers.get('warc-type') ?? '').toLowerCase(), offset: start, block } };
  }
  yield* flushGarbage();
}

/**
 * ARC v1/v2 (the Internet Archive's format before WARC): one space-separated header line
 * `URL IP date content-type length` then `length` bytes. The first record (`filedesc://`) is the
 * file's own description, reported as `warcinfo`; others carry an HTTP response like WARC's.
 */
async function readArcRecord(reader: ByteReader, line: string, start: number, limits: WarcLimits): Promise<WarcItem | null> {
  const parts = line.trim().split(/\s+/);
  const lengthText = parts[parts.length - 1] ?? '';
  if (parts.length < 5 || !/^\d+$/.test(lengthText)) {
    return { kind: 'problem', problem: { reason: 'bad_header', offset: start, message: `ARC header line is not "URL IP date type length": ${line.slice(0, 200)}` } };
  }
  const length = Number(lengthText);
  const [url, ip, date, type] = parts as [string, string, string, string];
  const headers = new Map<string, string>([
    ['warc-target-uri', url],
    ['warc-ip-address', ip],
    ['warc-date', arcDate(date)],
    ['content-type', type],
    ['content-length', lengthText],
    ['warc-record-id', `arc:${url}@${date}`],
  ]);
  if (length > limits.maxRecordBytes) {
    await reader.skip(length);
    return { kind: 'problem', problem: { reason: 'record_too_large', offset: start, message: `ARC record of ${length} bytes is over the limit`, headers } };
  }
  const block = await reader.read(length);
  if (block.length < length) return { kind: 'problem', problem: { reason: 'truncated_record', offset: start, message: `ARC record has ${block.length} of its ${length} bytes`, headers } };
  const isFiledesc = url.startsWith('filedesc://');
  const record: WarcRecord = { format: 'arc', version: 'arc', headers, type: isFiledesc ? 'warcinfo' : url.startsWith('dns:') ? 'metadata' : 'response', offset: start, block };
  return { kind: 'record', record };
}

/** ARC dates are `YYYYMMDDhhmmss` in UTC. */
function arcDate(d: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(d);
  if (!m) return d;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}Z`;
}
