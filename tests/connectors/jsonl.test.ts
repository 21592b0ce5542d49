import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { localServer, readAll, testContext } from './helpers.js';
import { jsonlConnector } from '../../src/connectors/jsonl.js';
import type { Connector } from '../../src/connectors/connector.js';

const jsonl = jsonlConnector as unknown as Connector;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

// Lines written by the villers team for this test.
const LINES = [
  JSON.stringify({ id: 'n1', text: 'Le marché se tient place de la Halle.', license: 'CC-BY-4.0' }),
  '{pas du json',
  JSON.stringify({ id: 'n2', text: 'Les horaires changent en été.', license: 'CC-BY-4.0' }),
].join('\n');

describe('jsonl connector', () => {
  it('reads a local file and a gzipped URL with the files connector\'s reader, rejecting the malformed line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'villers-jsonl-'));
    writeFileSync(join(dir, 'a.jsonl'), LINES);
    const server = await localServer((_req, res) => res.end(gzipSync(LINES)));
    closers.push(server.close);
    for (const path of [join(dir, 'a.jsonl'), `${server.url}/export/a.jsonl.gz`]) {
      const t = testContext();
      const docs = await readAll(jsonl, { id: 'notes', options: { path } }, t.ctx, dir);
      await t.close();
      expect(docs.map((d) => [d.id, d.text])).toEqual([
        ['notes/n1', 'Le marché se tient place de la Halle.'],
        ['notes/n2', 'Les horaires changent en été.'],
      ]);
      expect(t.rejects.map((r) => r.reason)).toEqual(['files.malformed_json']);
    }
  });
});
