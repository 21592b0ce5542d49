import type { Readable } from 'node:stream';
import { request } from 'undici';
import type { ObjectInfo, Store } from './store.js';

/** A read-only store over HTTP(S): a published release served by any web server or CDN. */
export class HttpStore implements Store {
  readonly description: string;
  constructor(readonly base: string) {
    this.base = base.replace(/\/?$/, '/');
    this.description = this.base;
  }

  private url(key: string): string {
    return new URL(key, this.base).toString();
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const r = await request(this.url(key), { method: 'HEAD' });
    await r.body.dump();
    if (r.statusCode === 404) return null;
    if (r.statusCode >= 400) throw new Error(`HEAD ${this.url(key)}: HTTP ${r.statusCode}`);
    return { size: Number(r.headers['content-length'] ?? 0) };
  }

  /** Bytes from `start`, asked for with a Range request; a server that ignores Range is an error, not a silent restart. */
  async read(key: string, start = 0): Promise<Readable> {
    const r = await request(this.url(key), { headers: start > 0 ? { range: `bytes=${start}-` } : {} });
    if (start > 0 && r.statusCode !== 206) {
      await r.body.dump();
      throw new Error(`GET ${this.url(key)} from byte ${start}: HTTP ${r.statusCode}, expected 206 (server ignores Range)`);
    }
    if (r.statusCode >= 400) {
      await r.body.dump();
      throw new Error(`GET ${this.url(key)}: HTTP ${r.statusCode}`);
    }
    return r.body;
  }

  async readBytes(key: string): Promise<{ bytes: Buffer } | null> {
    const r = await request(this.url(key));
    if (r.statusCode === 404) {
      await r.body.dump();
      return null;
    }
    if (r.statusCode >= 400) {
      await r.body.dump();
      throw new Error(`GET ${this.url(key)}: HTTP ${r.statusCode}`);
    }
    return { bytes: Buffer.from(await r.body.arrayBuffer()) };
  }
}
