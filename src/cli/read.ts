import type { Command } from 'commander';
import { z } from 'zod';
import { connectorForTarget, parseOptionAssignments } from '../connectors/read-target.js';
import { SourceSchema } from '../schema/source.js';
import { Stats } from '../pipeline/stats.js';
import { RejectsWriter } from '../pipeline/rejects.js';
import { createLogger } from '../pipeline/log.js';
import { noProgress } from '../pipeline/progress.js';
import type { RunContext } from '../pipeline/context.js';

interface ReadFlags {
  limit?: number;
  option: string[];
  sourceId: string;
  license?: string;
  rejects?: string;
  verbose?: boolean;
}

export function registerRead(program: Command): void {
  program
    .command('read')
    .description('read a file or URL with a connector (warc, wet, mediawiki, gutenberg, alto, parquet, jsonl) and print its documents as JSON lines')
    .argument('<connector>', 'connector name')
    .argument('<file-or-url>', 'a local file or folder, or an http(s) URL')
    .option('-n, --limit <n>', 'stop after n documents', (v) => Number.parseInt(v, 10))
    .option('-o, --option <key=value>', 'a connector option (repeatable; dotted keys, JSON values), e.g. -o fields.text=content', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--source-id <id>', 'source id the documents carry', 'read')
    .option('--license <spdx>', 'licence the source declares for all its documents')
    .option('--rejects <dir>', 'also write rejects/<stage>.jsonl.gz there')
    .option('-v, --verbose', 'log what the connector does (stderr)')
    .action(async (name: string, target: string, flags: ReadFlags) => {
      const { connector, options } = connectorForTarget(name, target, parseOptionAssignments(flags.option));
      const source = SourceSchema.parse({ id: flags.sourceId, name: `villers read ${name}`, connector: name, ...(flags.license ? { license: flags.license, license_evidence: 'villers read --license' } : {}), options });
      const parsed = connector.options.safeParse(source.options);
      if (!parsed.success) throw new Error(`${name} options: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
      const stats = new Stats();
      const writer = flags.rejects ? new RejectsWriter(flags.rejects) : null;
      const log = createLogger({ quiet: !flags.verbose });
      const ctx: RunContext = {
        stats,
        log,
        progress: noProgress,
        signal: new AbortController().signal,
        task: { rank: 0, world: 1 },
        reject(doc, stage, reason, detail) {
          stats.countReject(stage, reason);
          writer?.write(stage, reason, doc, detail);
          process.stderr.write(`rejected ${reason} ${doc.id}: ${JSON.stringify(detail)}\n`);
        },
      };
      let n = 0;
      try {
        for await (const doc of connector.read(parsed.data, { source, baseDir: process.cwd() }, ctx)) {
          if (flags.limit !== undefined && n >= flags.limit) break;
          const { raw, ...rest } = doc;
          process.stdout.write(JSON.stringify(raw ? { ...rest, raw_bytes: raw.byteLength } : rest) + '\n');
          n++;
        }
      } finally {
        await writer?.close();
      }
      const rejected = Object.values(stats.toJSON()).reduce((a, s) => a + Object.values(s.rejected).reduce((x, y) => x + y, 0), 0);
      process.stderr.write(`read: ${n} documents, ${rejected} rejected\n`);
    });
}
