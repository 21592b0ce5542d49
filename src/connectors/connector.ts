import type { z } from 'zod';
import type { Source } from '../schema/source.js';
import type { Doc } from '../pipeline/doc.js';
import type { RunContext } from '../pipeline/context.js';

export interface ConnectorInput {
  source: Source;
  /** Folder of the source's YAML file: relative paths in its options are resolved from here. */
  baseDir: string;
}

/**
 * Reads one kind of source as a stream of documents. A broken record is rejected through
 * `ctx.reject(doc, <connector name>, <connector name>.<reason>)`, never thrown.
 */
export interface Connector<Options extends z.ZodType = z.ZodType> {
  name: string;
  options: Options;
  read(options: z.output<Options>, input: ConnectorInput, ctx: RunContext): AsyncIterable<Doc>;
}

export function defineConnector<Options extends z.ZodType>(c: Connector<Options>): Connector<Options> {
  return c;
}
