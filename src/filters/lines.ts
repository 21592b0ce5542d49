import type { Cleaned } from './clean.js';

/**
 * One JSONL record through the cleaning: a kept line keeps every input field, with `text`
 * cleaned and `lang`, `lang_score` and `signals` added; a rejected one keeps its input whole
 * with a `reject: {stage, reason, signals}` field. A line that is not a JSON object with a string
 * `text` is rejected as `filter.malformed` or `filter.no_text`, never dropped.
 */
export function cleanLine(line: string, clean: (text: string) => Cleaned): { kept?: string; rejected?: string; reason?: string } {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch (e) {
    return reject({ line }, 'filter', 'filter.malformed', { error: (e as Error).message });
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return reject({ line }, 'filter', 'filter.malformed', { error: 'not a JSON object' });
  const r = record as Record<string, unknown>;
  if (typeof r.text !== 'string') return reject(r, 'filter', 'filter.no_text', {});
  const c = clean(r.text);
  if (!c.keep) return reject(r, c.stage, c.reason, c.signals);
  return { kept: JSON.stringify({ ...r, text: c.text, lang: c.lang, lang_score: c.lang_score, signals: c.signals }) };
}

function reject(record: Record<string, unknown>, stage: string, reason: string, signals: unknown) {
  return { rejected: JSON.stringify({ ...record, reject: { stage, reason, signals } }), reason };
}
