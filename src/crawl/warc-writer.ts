import { closeSync, mkdirSync, openSync, writeSync, fstatSync } from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

/**
 * WARC/1.1 writer (ISO 28500:2017): one gzip member per record, so any record can be read on its
 * own and a file cut short by a kill stays readable up to its last whole record. Writes are
 * synchronous: once `write*` returns, the record is in the file.
 */
export class WarcWriter {
  private fd: number | null = null;
  private seq = 0;
  private size = 0;
  readonly files: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly maxBytes: number,
    private readonly software: string,
  ) {
    mkdirSync(dir, { recursive: true });
  }

  private open(): number {
    if (this.fd !== null && this.size < this.maxBytes) return this.fd;
    if (this.fd !== null) closeSync(this.fd);
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const name = `${this.prefix}-${stamp}-${process.pid}-${String(this.seq++).padStart(5, '0')}.warc.gz`;
    const path = join(this.dir, name);
    this.fd = openSync(path, 'a');
    this.size = fstatSync(this.fd).size;
    this.files.push(path);
    const info = Buffer.from(`software: ${this.software}\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n`);
    this.record({ 'WARC-Type': 'warcinfo', 'WARC-Filename': name, 'Content-Type': 'application/warc-fields' }, info);
    return this.fd;
  }

  private record(fields: Record<string, string>, block: Uint8Array): string {
    const id = `<urn:uuid:${randomUUID()}>`;
    const head = [
      'WARC/1.1',
      `WARC-Record-ID: ${id}`,
      `WARC-Date: ${fields['WARC-Date'] ?? new Date().toISOString()}`,
      ...Object.entries(fields).filter(([k]) => k !== 'WARC-Date').map(([k, v]) => `${k}: ${v}`),
      `WARC-Block-Digest: ${sha1(block)}`,
      `Content-Length: ${block.byteLength}`,
      '',
      '',
    ].join('\r\n');
    const member = gzipSync(Buffer.concat([Buffer.from(head, 'utf8'), block, Buffer.from('\r\n\r\n')]));
    writeSync(this.fd!, member);
    this.size += member.length;
    return id;
  }

  /** request + response (+ metadata when given) records of one exchange; returns the response record id. */
  writeExchange(x: {
    url: string;
    date: Date;
    ip?: string;
    requestHeaders: [string, string][];
    method: string;
    status: number;
    statusText?: string;
    responseHeaders: [string, string][];
    body: Uint8Array;
    truncated?: string;
    metadata?: Record<string, unknown>;
  }): string {
    this.open();
    const u = new URL(x.url);
    const date = x.date.toISOString();
    const reqBlock = Buffer.from(httpHead(`${x.method} ${u.pathname}${u.search} HTTP/1.1`, x.requestHeaders), 'latin1');
    const resHead = Buffer.from(httpHead(`HTTP/1.1 ${x.status} ${x.statusText ?? ''}`.trimEnd(), x.responseHeaders), 'latin1');
    const resBlock = Buffer.concat([resHead, x.body]);
    const responseId = this.record(
      {
        'WARC-Type': 'response',
        'WARC-Date': date,
        'WARC-Target-URI': x.url,
        ...(x.ip ? { 'WARC-IP-Address': x.ip } : {}),
        'Content-Type': 'application/http;msgtype=response',
        'WARC-Payload-Digest': sha1(x.body),
        ...(x.truncated ? { 'WARC-Truncated': x.truncated } : {}),
      },
      resBlock,
    );
    this.record(
      { 'WARC-Type': 'request', 'WARC-Date': date, 'WARC-Target-URI': x.url, 'WARC-Concurrent-To': responseId, 'Content-Type': 'application/http;msgtype=request' },
      reqBlock,
    );
    if (x.metadata) this.writeMetadata(x.url, x.metadata, responseId, x.date);
    return responseId;
  }

  /** A metadata record: the crawler's decision about a URL (robots, TDMRep, outcome), as JSON. */
  writeMetadata(url: string, metadata: Record<string, unknown>, refersTo?: string, date = new Date()): void {
    this.open();
    this.record(
      {
        'WARC-Type': 'metadata',
        'WARC-Date': date.toISOString(),
        'WARC-Target-URI': url,
        ...(refersTo ? { 'WARC-Refers-To': refersTo, 'WARC-Concurrent-To': refersTo } : {}),
        'Content-Type': 'application/json',
      },
      Buffer.from(JSON.stringify(metadata), 'utf8'),
    );
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
  }
}

function httpHead(startLine: string, headers: [string, string][]): string {
  return `${startLine}\r\n${headers.map(([k, v]) => `${k}: ${v.replace(/[\r\n]+/g, ' ')}`).join('\r\n')}\r\n\r\n`;
}

/** `sha1:` + base32 digest, the form WARC tools (warcio, pywb, Heritrix) write and check. */
function sha1(data: Uint8Array): string {
  return `sha1:${base32(createHash('sha1').update(data).digest())}`;
}

function base32(buf: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}
