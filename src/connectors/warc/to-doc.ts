import { makeDoc, type Doc } from '../../pipeline/doc.js';
import type { Source } from '../../schema/source.js';
import { decodeHtml } from '../../extract/charset.js';
import type { WarcRecord } from './records.js';
import { parseContentType, parseHttpResponse, PayloadError } from './http-payload.js';

export interface RecordContext {
  source: Source;
  /** Archive file name (or URL) the record came from. */
  file: string;
  /** Record types that become documents (`response`, `resource`, `conversion`). */
  types: ReadonlySet<string>;
  htmlTypes: ReadonlySet<string>;
  textTypes: ReadonlySet<string>;
  maxPayloadBytes: number;
}

export type RecordOutcome =
  | { kind: 'doc'; doc: Doc }
  /** Not a document by nature (request, warcinfo, metadata, revisit...): counted, not rejected. */
  | { kind: 'skip'; type: string }
  | { kind: 'reject'; doc: Doc; reason: string; detail: Record<string, unknown> };

/** `<urn:uuid:…>` → `urn:uuid:…`; wget writes target URIs in angle brackets too. */
export function unbracket(v: string | undefined): string | null {
  if (!v) return null;
  const t = v.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1).trim() : t;
}

/** WARC-Date as a UTC instant `YYYY-MM-DDThh:mm:ssZ` (sub-second precision kept when present). */
export function warcInstant(v: string | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v.trim());
  if (Number.isNaN(t)) return null;
  const iso = new Date(t).toISOString();
  return /\.\d+Z$/.test(v.trim()) ? iso : iso.replace(/\.000Z$/, 'Z');
}

export function recordToOutcome(record: WarcRecord, rc: RecordContext): RecordOutcome {
  const h = record.headers;
  const recordId = unbracket(h.get('warc-record-id')) ?? `${rc.file}@${record.offset}`;
  const url = unbracket(h.get('warc-target-uri'));
  const date = warcInstant(h.get('warc-date')) ?? new Date().toISOString();
  const metadata: Record<string, unknown> = {
    warc_record_id: recordId,
    warc_file: rc.file,
    warc_offset: record.offset,
    warc_type: record.type,
    ...(record.format === 'arc' ? { archive_format: 'arc' } : { warc_version: record.version }),
  };
  for (const [field, key] of [
    ['warc-refers-to', 'warc_refers_to'],
    ['warc-identified-content-language', 'identified_languages'],
    ['warc-identified-payload-type', 'identified_payload_type'],
    ['warc-ip-address', 'ip_address'],
  ] as const) {
    const v = h.get(field);
    if (v) metadata[key] = key === 'identified_languages' ? v.split(',').map((s) => s.trim()) : unbracket(v);
  }
  const base = {
    id: `${rc.source.id}/${recordId}`,
    source: rc.source.id,
    url,
    date_retrieved: date,
    license: rc.source.license ?? null,
    license_evidence: rc.source.license ? (rc.source.license_evidence ?? `source ${rc.source.id}`) : null,
    attribution: rc.source.attribution ?? null,
  };
  const reject = (reason: string, detail: Record<string, unknown>, raw?: Uint8Array): RecordOutcome => ({
    kind: 'reject',
    doc: makeDoc({ ...base, text: '', metadata, ...(raw ? { raw: raw.subarray(0, 4096) } : {}) }),
    reason: `warc.${reason}`,
    detail,
  });

  if (!rc.types.has(record.type)) return { kind: 'skip', type: record.type || 'untyped' };
  if (record.type !== 'conversion' && url !== null && !/^https?:\/\//i.test(url)) return { kind: 'skip', type: `${record.type}:non-http` };

  let status: number | null = null;
  let contentType: { type: string; charset?: string };
  let payload: Buffer;
  if (record.type === 'response' && (record.format === 'arc' || /application\/http/i.test(h.get('content-type') ?? 'application/http'))) {
    try {
      const http = parseHttpResponse(record.block, rc.maxPayloadBytes);
      status = http.status;
      contentType = parseContentType(http.headers.get('content-type'));
      payload = http.body;
      metadata.http_status = status;
      const lastModified = http.headers.get('last-modified');
      if (lastModified) metadata.http_last_modified = lastModified;
    } catch (e) {
      if (e instanceof PayloadError) return reject(e.reason, { error: e.message, offset: record.offset }, record.block);
      throw e;
    }
    if (status < 200 || status > 299) return reject('http_status', { status, expected: '2xx' });
  } else {
    contentType = parseContentType(h.get('content-type'));
    payload = record.block;
    if (record.type === 'conversion' && !contentType.type) contentType = { type: 'text/plain', charset: 'utf-8' };
  }
  if (contentType.type) metadata.content_type = contentType.type;
  if (payload.length > rc.maxPayloadBytes) return reject('payload_too_large', { bytes: payload.length, limit: rc.maxPayloadBytes });
  if (payload.length === 0) return reject('empty_payload', { offset: record.offset });

  if (rc.htmlTypes.has(contentType.type)) {
    return { kind: 'doc', doc: makeDoc({ ...base, text: '', media_type: 'text/html', raw: payload, ...(contentType.charset ? { charset: contentType.charset } : {}), metadata }) };
  }
  if (rc.textTypes.has(contentType.type)) {
    const decoded = decodeHtml(payload, contentType.charset ?? (record.type === 'conversion' ? 'utf-8' : undefined));
    metadata.charset = decoded.charset;
    return { kind: 'doc', doc: makeDoc({ ...base, text: decoded.text, metadata }) };
  }
  return reject('unsupported_media_type', { content_type: contentType.type || null, accepted: [...rc.htmlTypes, ...rc.textTypes] });
}
