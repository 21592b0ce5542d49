import type { Doc } from '../pipeline/doc.js';

/**
 * Signals are the measurements behind each keep/drop decision (stop-word count, duplicated line
 * fraction, language score…). They travel with the document under `metadata.signals.<stage>` so
 * that thresholds can be chosen later without re-running, as Dolma's attribute files allow.
 */
export type Signals = Record<string, number | string | boolean | null>;

export function setSignals(doc: Doc, stage: string, signals: Signals): void {
  const all = (doc.metadata.signals ??= {}) as Record<string, Signals>;
  all[stage] = signals;
}

export function getSignals(doc: Doc, stage: string): Signals | undefined {
  return (doc.metadata.signals as Record<string, Signals> | undefined)?.[stage];
}
