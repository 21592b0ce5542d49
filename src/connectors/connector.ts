import type { z } from 'zod';
import type { Source } from '../schema/source.js';
import type { Doc } from '../pipeline/doc.js';
import type { RunContext } from '../pipeline/context.js';

export interface ConnectorInput {
  source: Source;
  /** Folder of the source's YAML file: relative paths in its options are resolved from here. */
  baseDir: string;
  /** When set, read only this partition of the source (one of `units()`), so that tasks can split it. */
  unit?: string;
}

/** A partition of a source that one task reads; `version` changes whenever its content may have. */
export interface SourceUnit {
  unit: string;
  bytes: number;
  version: string;
}

/**
 * Reads one kind of source as a stream of documents. A broken record is rejected through
 * `ctx.reject(doc, <connector name>, <connector name>.<reason>)`, never thrown.
 */
export interface Connector<Options extends z.ZodType = z.ZodType> {
  name: string;
  options: Options;
  read(options: z.output<Options>, input: ConnectorInput, ctx: RunContext): AsyncIterable<Doc>;
  /**
   * The partitions of a source, in reading order (files, for instance). Without it a source is one
   * unit read by one task.
   */
  units?(options: z.output<Options>, input: ConnectorInput): Promise<SourceUnit[]>;
}

export function defineConnector<Options extends z.ZodType>(c: Connector<Options>): Connector<Options> {
  return c;
}
