import type { Doc } from '../pipeline/doc.js';

/**
 * A document between a task and the merge, as one JSON line: the raw bytes an HTML document still
 * carries travel as base64, the way rejects store them, so the merge sees exactly what the task had.
 */
export function encodeDoc(doc: Doc): string {
  const { raw, ...rest } = doc;
  return JSON.stringify(raw ? { ...rest, raw_base64: Buffer.from(raw).toString('base64') } : rest);
}

export function decodeDoc(line: string): Doc {
  const { raw_base64, ...rest } = JSON.parse(line) as Doc & { raw_base64?: string };
  const doc = rest as Doc;
  if (typeof raw_base64 === 'string') doc.raw = Buffer.from(raw_base64, 'base64');
  return doc;
}
