import type { Signals } from './signals.js';

/** What a filter says of one document: why it goes (null: it stays) and what it measured. */
export interface Verdict {
  reason: string | null;
  signals: Signals;
}
