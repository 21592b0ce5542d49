import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createContext, type RunContext } from '../../src/pipeline/context.js';
import { Stats } from '../../src/pipeline/stats.js';
import { RejectsWriter } from '../../src/pipeline/rejects.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { noProgress } from '../../src/pipeline/progress.js';
import type { Doc } from '../../src/pipeline/doc.js';
import type { Connector } from '../../src/connectors/connector.js';
import { SourceSchema } from '../../src/schema/source.js';

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** An HTTP server on 127.0.0.1 for the length of a test, answering with `handler`. */
export async function localServer(handler: Handler): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    Promise.resolve(handler(req, res, url)).catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Rejected {
  stage: string;
  reason: string;
  detail: unknown;
  doc: Doc;
}

/** A real run context (stats, rejects written to a temporary folder) that also keeps the rejects in memory. */
export function testContext(signal?: AbortSignal): { ctx: RunContext; rejects: Rejected[]; stats: Stats; close(): Promise<void> } {
  const stats = new Stats();
  const writer = new RejectsWriter(join(mkdtempSync(join(tmpdir(), 'villers-test-')), 'rejects'));
  const base = createContext({ stats, rejects: writer, log: silentLogger, progress: noProgress, ...(signal ? { signal } : {}) });
  const rejects: Rejected[] = [];
  const ctx: RunContext = {
    ...base,
    reject(doc, stage, reason, detail) {
      rejects.push({ stage, reason, detail, doc });
      base.reject(doc, stage, reason, detail);
    },
  };
  return { ctx, rejects, stats, close: () => writer.close() };
}

/** Runs a connector over a source as `sources/*.yaml` would declare it, collecting what it yields. */
export async function readAll(
  connector: Connector,
  source: Record<string, unknown>,
  ctx: RunContext,
  baseDir = tmpdir(),
): Promise<Doc[]> {
  const parsed = SourceSchema.parse({ name: 'test source', ...source, connector: connector.name });
  const options = connector.options.parse(parsed.options);
  const docs: Doc[] = [];
  for await (const d of connector.read(options, { source: parsed, baseDir }, ctx)) docs.push(d);
  return docs;
}
