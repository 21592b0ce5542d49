import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** A config file that does not parse or does not match its schema; the message names file, place and expectation. */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; line?: number; message: string }[],
  ) {
    super(problems.map((p) => `${file}${p.line ? `:${p.line}` : ''}: ${p.path ? p.path + ': ' : ''}${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

/** Parses YAML text against a zod schema; errors point at the line of the offending value. */
export function parseYaml<S extends z.ZodType>(text: string, schema: S, file: string): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: '', line: lineCounter.linePos(e.pos[0]).line, message: `invalid YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  throw new ConfigError(
    file,
    result.error.issues.map((issue) => {
      let line: number | undefined;
      for (let n = issue.path.length; n >= 0 && line === undefined; n--) {
        const node = doc.getIn(issue.path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
        if (node && typeof node === 'object' && node.range) line = lineCounter.linePos(node.range[0]).line;
      }
      return { path: formatPath(issue.path), line, message: issue.message };
    }),
  );
}

export async function loadYaml<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return parseYaml(text, schema, file);
}
