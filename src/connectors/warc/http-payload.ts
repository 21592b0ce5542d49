import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';

/** An HTTP response as a WARC `response` record stores it: status, headers, then the body bytes. */
export interface HttpMessage {
  status: number;
  headers: Map<string, string>;
  body: Buffer;
}

export class PayloadError extends Error {
  constructor(
    readonly reason: 'bad_http_message' | 'bad_content_encoding' | 'payload_too_large',
    message: string,
  ) {
    super(message);
    this.name = 'PayloadError';
  }
}

function headerEnd(block: Buffer): { end: number; sep: number } | null {
  const crlf = block.indexOf('\r\n\r\n');
  const lf = block.indexOf('\n\n');
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, sep: 4 };
  if (lf >= 0) return { end: lf, sep: 2 };
  return null;
}

export function parseHttpResponse(block: Buffer, maxPayloadBytes: number): HttpMessage {
  const at = headerEnd(block);
  const head = (at ? block.subarray(0, at.end) : block).toString('latin1');
  const lines = head.split(/\r?\n/);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(lines[0] ?? '');
  if (!status) throw new PayloadError('bad_http_message', `not an HTTP status line: ${JSON.stringify((lines[0] ?? '').slice(0, 80))}`);
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
  }
  let body = at ? block.subarray(at.end + at.sep) : Buffer.alloc(0);
  // Common Crawl stores bodies decoded and renames the headers (x-crawler-transfer-encoding),
  // so only the headers under their own names say the bytes are still encoded.
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) body = dechunk(body) ?? body;
  const encoding = (headers.get('content-encoding') ?? '').trim().toLowerCase();
  if (encoding && encoding !== 'identity') body = decodeContent(body, encoding, maxPayloadBytes);
  if (body.length > maxPayloadBytes) throw new PayloadError('payload_too_large', `payload of ${body.length} bytes is over the ${maxPayloadBytes}-byte limit`);
  return { status: Number(status[1]), headers, body };
}

/**
 * Removes HTTP/1.1 chunked framing. A body that does not parse as chunks is returned as null and
 * kept as it is: crawlers sometimes keep the header after decoding the body themselves.
 */
export function dechunk(body: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) return null;
    const sizeText = body.toString('latin1', pos, eol).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]+$/.test(sizeText)) return null;
    const size = Number.parseInt(sizeText, 16);
    if (size === 0) return Buffer.concat(parts);
    const from = eol + 2;
    if (from + size > body.length) {
      // A last chunk cut short: keep what arrived, as browsers do.
      parts.push(body.subarray(from));
      return Buffer.concat(parts);
    }
    parts.push(body.subarray(from, from + size));
    pos = from + size;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
  }
}

function decodeContent(body: Buffer, encoding: string, max: number): Buffer {
  const opts = { maxOutputLength: max + 1 };
  try {
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, opts);
    if (encoding === 'br') return brotliDecompressSync(body, opts);
    if (encoding === 'deflate') {
      // "deflate" is zlib-wrapped per the RFC, raw in many servers' hands.
      try {
        return inflateSync(body, opts);
      } catch {
        return inflateRawSync(body, opts);
      }
    }
  } catch (e) {
    if (e instanceof RangeError) throw new PayloadError('payload_too_large', `Content-Encoding ${encoding} expands past ${max} bytes`);
    throw new PayloadError('bad_content_encoding', `Content-Encoding ${encoding}: ${(e as Error).message}`);
  }
  throw new PayloadError('bad_content_encoding', `unsupported Content-Encoding "${encoding}"`);
}

/** `text/html; charset=UTF-8` → `{ type: 'text/html', charset: 'utf-8' }`. */
export function parseContentType(value: string | undefined): { type: string; charset?: string } {
  if (!value) return { type: '' };
  const [type, ...params] = value.split(';');
  const out: { type: string; charset?: string } = { type: type!.trim().toLowerCase() };
  for (const p of params) {
    const m = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(p);
    if (m) out.charset = m[1]!.toLowerCase();
  }
  return out;
}
