import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { copyFile, link, mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { PreconditionFailed, type ObjectInfo, type PutOptions, type Store } from './store.js';

const etagOf = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** A store that is a folder on disk (a mounted volume, a web server's document root). */
export class FolderStore implements Store {
  readonly root: string;
  readonly description: string;
  constructor(root: string) {
    this.root = resolve(root);
    this.description = this.root;
  }

  private path(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const info = await stat(this.path(key)).catch(() => null);
    return info?.isFile() ? { size: info.size } : null;
  }

  async read(key: string, start = 0): Promise<Readable> {
    if (!existsSync(this.path(key))) throw new Error(`${key}: not found in ${this.root}`);
    return createReadStream(this.path(key), { start });
  }

  async readBytes(key: string): Promise<{ bytes: Buffer; etag: string } | null> {
    const bytes = await readFile(this.path(key)).catch(() => null);
    return bytes ? { bytes, etag: etagOf(bytes) } : null;
  }

  /** Copies beside the target, then links it into place: readers never see a partial file. */
  async putFile(key: string, source: string, _size: number, options: PutOptions): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.partial`;
    await copyFile(source, tmp);
    await this.commit(tmp, target, options);
  }

  /** A hard link beside the target, moved into place; false where the filesystem cannot link. */
  async copy(fromKey: string, toKey: string, _size: number, options: PutOptions): Promise<boolean> {
    const target = this.path(toKey);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.partial`;
    try {
      await link(this.path(fromKey), tmp);
    } catch {
      return false;
    }
    await this.commit(tmp, target, options);
    return true;
  }

  async putBytes(key: string, bytes: Buffer, options: PutOptions): Promise<void> {
    const target = this.path(key);
    await mkdir(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.partial`;
    await writeFile(tmp, bytes);
    await this.commit(tmp, target, options);
  }

  private async commit(tmp: string, target: string, options: PutOptions): Promise<void> {
    if (options.ifNoneMatch) {
      // link() fails when the target exists: the folder's own "create only".
      try {
        await link(tmp, target);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new PreconditionFailed(`${target} exists`);
        throw e;
      } finally {
        await unlink(tmp).catch(() => {});
      }
      return;
    }
    if (options.ifMatch) {
      const current = await readFile(target).catch(() => null);
      if (!current || etagOf(current) !== options.ifMatch) {
        await unlink(tmp).catch(() => {});
        throw new PreconditionFailed(`${target} changed`);
      }
    }
    await rename(tmp, target);
  }
}
