import type { SchemaElement } from 'hyparquet';
import type { Signals } from '../filters/signals.js';
import type { SignalColumn } from '../schema/manifest.js';

export type SignalValue = number | boolean | string | null;

const PARQUET_TYPES: Record<SignalColumn['type'], Omit<SchemaElement, 'name'>> = {
  double: { type: 'DOUBLE', repetition_type: 'OPTIONAL' },
  boolean: { type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
  string: { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
};

/** `signal_<stage>_<signal>`, lower-case letters, digits and underscores, so SQL needs no quotes. */
export function signalColumnName(stage: string, signal: string): string {
  return `signal_${stage}_${signal}`.toLowerCase().replace(/[^a-z0-9_]+/g, '_');
}

function typeOf(value: unknown): SignalColumn['type'] | null {
  if (typeof value === 'number') return 'double';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  return null;
}

export function signalSchema(columns: SignalColumn[]): SchemaElement[] {
  return columns.map((c) => ({ name: c.name, ...PARQUET_TYPES[c.type] }));
}

/**
 * The stages' signals as typed shard columns, one per (stage, signal), so that thresholds can be
 * chosen later by a query rather than a re-run (Dolma's attribute files serve the same need).
 *
 * The columns are those of the first document written, in flow order: every document crosses the
 * same stages, so each carries the same signals, and a release's shards share one schema (as the
 * Hugging Face loader requires). A signal a later document has beyond them, or of another type,
 * stays in its `metadata.signals`, so nothing measured is lost.
 */
export class SignalColumns {
  private fixed: SignalColumn[] | null = null;
  /** stage → signal → column index. */
  private readonly index = new Map<string, Map<string, number>>();

  get columns(): SignalColumn[] {
    return this.fixed ?? [];
  }

  /** A document's signal values in column order, and what is left for its metadata. */
  split(signals: Record<string, Signals> | undefined): { values: SignalValue[]; rest: Record<string, Signals> | undefined } {
    if (!this.fixed) this.fix(signals ?? {});
    const columns = this.fixed!;
    const values: SignalValue[] = new Array<SignalValue>(columns.length).fill(null);
    let rest: Record<string, Signals> | undefined;
    // for...in and nested maps: this runs for every signal of every document written.
    for (const stage in signals) {
      const group = signals[stage]!;
      const index = this.index.get(stage);
      for (const signal in group) {
        const value = group[signal]!;
        const at = index?.get(signal);
        if (at !== undefined && (value === null || typeOf(value) === columns[at]!.type)) values[at] = value;
        else ((rest ??= {})[stage] ??= {})[signal] = value;
      }
    }
    return { values, rest };
  }

  private fix(signals: Record<string, Signals>): void {
    const columns: SignalColumn[] = [];
    const names = new Set<string>();
    for (const [stage, group] of Object.entries(signals)) {
      for (const [signal, value] of Object.entries(group)) {
        const type = typeOf(value);
        const name = signalColumnName(stage, signal);
        // A null tells no type, and two signals folding to one name cannot both be columns.
        if (!type || names.has(name)) continue;
        names.add(name);
        let byName = this.index.get(stage);
        if (!byName) this.index.set(stage, (byName = new Map()));
        byName.set(signal, columns.length);
        columns.push({ name, stage, signal, type });
      }
    }
    this.fixed = columns;
  }
}
