import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { defineConnector } from './connector.js';
import { FilesOptions, filesConnector } from './files.js';
import { HttpOptions, httpGet } from './io/http.js';
import { isUrl, targetName } from './io/archive-input.js';

export const JsonlOptions = FilesOptions.omit({ format: true })
  .extend({ http: HttpOptions })
  .strict();
export type JsonlOptions = z.output<typeof JsonlOptions>;

/**
 * JSON Lines datasets (.jsonl, .ndjson, gzipped or not): the `files` connector's JSONL reader,
 * with URLs too. A remote file is streamed to a temporary file first (constant memory), then read
 * by the same code as a local one.
 */
export const jsonlConnector = defineConnector({
  name: 'jsonl',
  options: JsonlOptions,
  async *read(o, input, ctx) {
    const { http, ...files } = o;
    if (!isUrl(o.path)) {
      yield* filesConnector.read({ ...files, format: 'jsonl' }, input, ctx);
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'villers-jsonl-'));
    try {
      const res = await httpGet(o.path, http, ctx.log, ctx.signal);
      // The local name keeps only what tells the reader the format: gzipped or not.
      const local = join(dir, /\.gz$/i.test(targetName(o.path)) ? 'data.jsonl.gz' : 'data.jsonl');
      await pipeline(Readable.from(res.body), createWriteStream(local));
      for await (const doc of filesConnector.read({ ...files, path: local, format: 'jsonl' }, { ...input, baseDir: dir }, ctx)) {
        yield { ...doc, url: doc.url, metadata: { ...doc.metadata, file: o.path } };
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
});
