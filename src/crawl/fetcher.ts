import { Agent, request } from 'undici';
import type { IncomingHttpHeaders } from 'node:http';
import { AddressGuard, AddressRefused } from './address-guard.js';

export interface FetchRequest {
  url: string;
  method?: 'GET' | 'HEAD';
  headers?: Record<string, string>;
  /** Stop reading once this many bytes came; the response is marked truncated. */
  maxBytes: number;
  /**
   * Called with status and headers before any body byte is read. Returning 'head-only' reads just
   * enough of the body to see the HTML head; 'skip' reads none of it.
   */
  onHeaders?: (status: number, headers: Headers) => 'body' | 'head-only' | 'skip';
  /** With 'head-only': given the bytes up to the end of the HTML head, whether to read the rest after all. */
  onHead?: (head: Buffer) => boolean;
  signal?: AbortSignal;
}

export interface FetchResponse {
  url: string;
  status: number;
  headers: Headers;
  /** Header lines as sent, for the WARC record. */
  rawHeaders: [string, string][];
  httpVersion: string;
  body: Uint8Array;
  /** What part of the body was read: all of it, only the head, nothing, or up to the size limit. */
  read: 'all' | 'head-only' | 'none' | 'truncated';
  requestHeaders: [string, string][];
  startedAt: Date;
}

export type FetchFailure = { url: string; error: string; code: string; refused: boolean };

const HEAD_END = /<\/head\s*>|<body[\s>]/i;
/** A head longer than this is treated as complete: enough for any meta tag a page means us to see. */
const HEAD_MAX_BYTES = 64 * 1024;

/** HTTP/1.1 client of the crawler: undici behind the address guard, no automatic redirects. */
export class Fetcher {
  readonly agent: Agent;

  constructor(
    readonly guard: AddressGuard,
    private readonly opts: { userAgent: string; timeoutMs: number; connections?: number },
  ) {
    this.agent = new Agent({
      connect: guard.connector(opts.timeoutMs),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
      connections: opts.connections ?? 2,
      pipelining: 1,
    });
  }

  async fetch(req: FetchRequest): Promise<FetchResponse | FetchFailure> {
    const startedAt = new Date();
    const u = new URL(req.url);
    const requestHeaders: [string, string][] = [
      ['Host', u.host],
      ['User-Agent', this.opts.userAgent],
      ['Accept', 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5'],
      ['Accept-Encoding', 'identity'],
      ...Object.entries(req.headers ?? {}),
    ];
    try {
      const res = await request(req.url, {
        dispatcher: this.agent,
        method: req.method ?? 'GET',
        headers: Object.fromEntries(requestHeaders.filter(([k]) => k !== 'Host')),
        signal: req.signal,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
      // Destroying a body we stop reading is how we stop the download; that is not an error for us.
      res.body.on('error', () => {});
      const headers = toHeaders(res.headers);
      const rawHeaders = rawPairs(res.headers);
      let mode = req.method === 'HEAD' ? 'skip' : (req.onHeaders?.(res.statusCode, headers) ?? 'body');
      const base = { url: req.url, status: res.statusCode, headers, rawHeaders, httpVersion: '1.1', requestHeaders, startedAt };
      if (mode === 'skip') {
        res.body.destroy();
        return { ...base, body: new Uint8Array(0), read: 'none' };
      }
      const declared = Number(headers.get('content-length') ?? NaN);
      if (declared > req.maxBytes) {
        res.body.destroy();
        return { ...base, body: new Uint8Array(0), read: 'truncated' };
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let read: FetchResponse['read'] = 'all';
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        chunks.push(chunk);
        size += chunk.length;
        if (size > req.maxBytes) {
          read = 'truncated';
          break;
        }
        if (mode === 'head-only') {
          const sofar = Buffer.concat(chunks);
          if (HEAD_END.test(sofar.toString('latin1')) || size > HEAD_MAX_BYTES) {
            if (req.onHead?.(sofar)) mode = 'body';
            else {
              read = 'head-only';
              break;
            }
          }
        }
      }
      if (read !== 'all') res.body.destroy();
      return { ...base, body: Buffer.concat(chunks), read };
    } catch (e) {
      const err = e as Error & { code?: string; cause?: Error & { code?: string } };
      const refused = err instanceof AddressRefused || err.cause instanceof AddressRefused;
      return { url: req.url, error: err.message, code: (refused ? 'ADDRESS_REFUSED' : (err.code ?? err.cause?.code)) ?? 'ERROR', refused };
    }
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

export function isFailure(r: FetchResponse | FetchFailure): r is FetchFailure {
  return 'error' in r;
}

function toHeaders(h: IncomingHttpHeaders): Headers {
  const out = new Headers();
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.append(k, one);
  }
  return out;
}

function rawPairs(h: IncomingHttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    for (const one of Array.isArray(v) ? v : [v]) out.push([k, one]);
  }
  return out;
}
