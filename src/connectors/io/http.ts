import { Agent, interceptors, request, type Dispatcher } from 'undici';
import { z } from 'zod';
import type { Logger } from '../../pipeline/log.js';
import { VERSION } from '../../version.js';

export const HttpOptions = z
  .object({
    timeout_s: z.number().positive().default(60).describe('headers and body idle timeout per request'),
    max_retries: z.number().int().min(0).default(5).describe('retries on 429, 5xx and network errors'),
    max_retry_after_s: z.number().min(0).default(3600).describe('longest Retry-After honoured; a longer one fails the request'),
    backoff_s: z.number().min(0).default(2).describe('first wait when the server gives no Retry-After; doubles each retry'),
    max_body_bytes: z.number().int().positive().default(512 * 1024 * 1024).describe('largest response body read'),
    user_agent: z.string().default(`villers/${VERSION}`),
  })
  .strict()
  .prefault({});
export type HttpOptions = z.output<typeof HttpOptions>;

export class HttpError extends Error {
  constructor(
    readonly reason: 'status' | 'retry_after_too_long' | 'body_too_large' | 'network',
    readonly url: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  url: string;
  body: AsyncIterable<Uint8Array>;
}

let dispatcher: Dispatcher | null = null;
function agent(): Dispatcher {
  dispatcher ??= new Agent().compose(interceptors.redirect({ maxRedirections: 5 }));
  return dispatcher;
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, (at - now) / 1000);
}

function sleep(seconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, seconds * 1000);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function* limited(body: AsyncIterable<Uint8Array>, max: number, url: string): AsyncIterable<Uint8Array> {
  let n = 0;
  for await (const chunk of body) {
    n += chunk.byteLength;
    if (n > max) throw new HttpError('body_too_large', url, `response body over ${max} bytes: ${url}`);
    yield chunk;
  }
}

/**
 * GET with the politeness a harvester owes a public server: 503/429 wait for Retry-After (what
 * OAI-PMH servers send when busy), other 5xx and network errors back off exponentially. A 2xx
 * comes back with its body as a size-limited stream; 4xx (and 5xx after the retries) throw.
 */
export async function httpGet(
  url: string,
  options: HttpOptions,
  log: Logger,
  signal?: AbortSignal,
  accept = '*/*',
): Promise<HttpResponse> {
  let backoff = options.backoff_s;
  for (let attempt = 0; ; attempt++) {
    let res: Dispatcher.ResponseData;
    try {
      res = await request(url, {
        method: 'GET',
        dispatcher: agent(),
        headers: { 'user-agent': options.user_agent, accept },
        headersTimeout: options.timeout_s * 1000,
        bodyTimeout: options.timeout_s * 1000,
        signal,
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      if (attempt >= options.max_retries) throw new HttpError('network', url, `GET ${url}: ${(e as Error).message}`);
      log.warn('http: network error, retrying', { url, error: (e as Error).message, wait_s: backoff });
      await sleep(backoff, signal);
      backoff *= 2;
      continue;
    }
    const headers = flatHeaders(res.headers);
    if (res.statusCode >= 200 && res.statusCode < 300) {
      return { status: res.statusCode, headers, url, body: limited(res.body, options.max_body_bytes, url) };
    }
    await res.body.dump().catch(() => undefined);
    const retryable = res.statusCode === 429 || res.statusCode >= 500;
    if (!retryable || attempt >= options.max_retries) {
      throw new HttpError('status', url, `GET ${url}: HTTP ${res.statusCode}`, res.statusCode);
    }
    const after = res.statusCode === 503 || res.statusCode === 429 ? retryAfterSeconds(headers['retry-after']) : null;
    if (after !== null && after > options.max_retry_after_s) {
      throw new HttpError('retry_after_too_long', url, `GET ${url}: HTTP ${res.statusCode} asks to retry after ${after}s (limit ${options.max_retry_after_s}s)`, res.statusCode);
    }
    const wait = after ?? backoff;
    log.warn(`http: HTTP ${res.statusCode}, retrying`, { url, wait_s: wait, retry_after: headers['retry-after'] ?? null });
    await sleep(wait, signal);
    if (after === null) backoff *= 2;
  }
}

/** The whole body as bytes (small API answers). */
export async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const c of body) parts.push(c);
  return Buffer.concat(parts);
}
