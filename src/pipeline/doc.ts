/**
 * A document in flight through the pipeline. It becomes a shard row (`Document`) at the writer,
 * which fills what only the end can know (`content_sha256`, the final licence).
 */
export interface Doc {
  id: string;
  source: string;
  text: string;
  /** `text/html` documents carry their undecoded bytes in `raw` until the extract stage. */
  media_type: 'text/plain' | 'text/html';
  raw?: Uint8Array;
  /** Charset named by the transport (HTTP `Content-Type`), used before `<meta charset>`. */
  charset?: string;
  url: string | null;
  title: string | null;
  lang: string | null;
  lang_score: number | null;
  license: string | null;
  license_evidence: string | null;
  attribution: string | null;
  date_published: string | null;
  date_retrieved: string;
  minhash_cluster_size: number;
  /** Source-specific extras, serialised as JSON text into the `metadata` column. */
  metadata: Record<string, unknown>;
}

export type DocInit = Pick<Doc, 'id' | 'source' | 'text' | 'date_retrieved'> & Partial<Doc>;

export function makeDoc(init: DocInit): Doc {
  return {
    media_type: 'text/plain',
    url: null,
    title: null,
    lang: null,
    lang_score: null,
    license: null,
    license_evidence: null,
    attribution: null,
    date_published: null,
    minhash_cluster_size: 1,
    metadata: {},
    ...init,
  };
}

/** UTF-8 size of a document's payload: what a stage's byte counters measure. */
export function docBytes(doc: Doc): number {
  return doc.raw ? doc.raw.byteLength : Buffer.byteLength(doc.text, 'utf8');
}
