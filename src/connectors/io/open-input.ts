import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import type { RunContext } from '../../pipeline/context.js';
import { HttpOptions, httpGet } from './http.js';
import { maybeGunzip } from './bounded-gunzip.js';

/** Where a feed or sitemap comes from: a URL, or a file relative to the source YAML. */
export const InputLocation = {
  url: z.url().optional().describe('http(s) URL to fetch'),
  path: z.string().optional().describe('local file, relative to the source YAML'),
  max_bytes: z.number().int().positive().default(64 * 1024 * 1024).describe('largest input, after gunzip'),
  http: HttpOptions,
};

export interface Located {
  url?: string | undefined;
  path?: string | undefined;
  max_bytes: number;
  http: HttpOptions;
}

/** The bytes of a URL or file, gunzipped (bounded) when they are gzip. */
export async function openInput(where: Located, baseDir: string, ctx: RunContext): Promise<{ name: string; bytes: AsyncIterable<Uint8Array> }> {
  if (where.url) {
    const res = await httpGet(where.url, { ...where.http, max_body_bytes: where.max_bytes }, ctx.log, ctx.signal);
    return { name: where.url, bytes: maybeGunzip(res.body, where.max_bytes) };
  }
  if (where.path) {
    const file = resolve(baseDir, where.path);
    return { name: file, bytes: maybeGunzip(createReadStream(file), where.max_bytes) };
  }
  throw new Error('give either url or path');
}

/** A date as an ISO instant when it can be read (RFC 822 feeds, W3C datetime sitemaps), else null. */
export function isoDate(raw: string | null | undefined): string | null {
  const v = raw?.trim();
  if (!v) return null;
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) return v;
  // A feed date without a zone is taken as UTC, not as the harvesting machine's local time.
  const zoned = /([+-]\d{2}:?\d{2}|Z|GMT|UT|UTC|[ECMP][SD]T)$/i.test(v) ? v : `${v} GMT`;
  const t = Date.parse(zoned);
  return Number.isNaN(t) ? null : new Date(t).toISOString().replace(/\.000Z$/, 'Z');
}
