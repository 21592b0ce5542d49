import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { joinKey, PreconditionFailed, type ObjectInfo, type PutOptions, type Store } from './store.js';

export interface S3Location {
  bucket: string;
  prefix: string;
}

/** `s3://bucket/some/prefix` → bucket and prefix. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`not an s3:// URL: ${url}`);
  return { bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, '') };
}

export interface S3StoreOptions {
  endpoint?: string;
  /** Files above this go up in parts of this size (S3's minimum part is 5 MiB). */
  partBytes?: number;
  client?: S3Client;
}

const isStatus = (e: unknown, ...codes: number[]) => e instanceof S3ServiceException && codes.includes(e.$metadata.httpStatusCode ?? 0);

/**
 * An S3-compatible bucket (Ceph RGW, MinIO, the French sovereign clouds). Credentials and region
 * come from the usual AWS environment variables; path-style addressing, since most non-AWS
 * endpoints have no per-bucket DNS names.
 */
export class S3Store implements Store {
  readonly client: S3Client;
  readonly description: string;
  readonly partBytes: number;

  constructor(readonly location: S3Location, options: S3StoreOptions = {}) {
    this.client =
      options.client ??
      new S3Client({
        endpoint: options.endpoint ?? process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL,
        region: process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
        forcePathStyle: true,
        // Ceph Pacific predates the SDK's default CRC checksums: send them only where an operation requires one.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    this.partBytes = Math.max(options.partBytes ?? 64 * 1024 * 1024, 5 * 1024 * 1024);
    this.description = `s3://${location.bucket}/${location.prefix}`;
  }

  private key(key: string): string {
    return joinKey(this.location.prefix, key);
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return { size: Number(r.ContentLength ?? 0), sha256: r.Metadata?.sha256, etag: r.ETag?.replace(/"/g, '') };
    } catch (e) {
      if (isStatus(e, 404)) return null;
      throw e;
    }
  }

  async read(key: string, start = 0): Promise<Readable> {
    const r = await this.client.send(
      new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key), Range: start > 0 ? `bytes=${start}-` : undefined }),
    );
    return r.Body as Readable;
  }

  async readBytes(key: string): Promise<{ bytes: Buffer; etag?: string } | null> {
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.location.bucket, Key: this.key(key) }));
      return { bytes: Buffer.from(await r.Body!.transformToByteArray()), etag: r.ETag };
    } catch (e) {
      if (isStatus(e, 404)) return null;
      throw e;
    }
  }

  async putBytes(key: string, bytes: Buffer, options: PutOptions): Promise<void> {
    await this.conditional(() =>
      this.client.send(
        new PutObjectCommand({
          Bucket: this.location.bucket,
          Key: this.key(key),
          Body: bytes,
          ContentLength: bytes.length,
          ContentMD5: createHash('md5').update(bytes).digest('base64'),
          ContentType: options.contentType,
          Metadata: { sha256: options.sha256 },
          IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
          // Ceph RGW (Pacific) compares If-Match with the bare ETag; the quoted form always fails there.
          IfMatch: options.ifMatch?.replace(/"/g, ''),
        }),
      ),
    );
  }

  /**
   * Server-side CopyObject. Only objects of one part: a copy gets a single-part ETag, and a
   * multipart object's copy would then never match the ETag a resumed publish expects.
   */
  async copy(fromKey: string, toKey: string, size: number, options: PutOptions): Promise<boolean> {
    if (size > this.partBytes) return false;
    await this.client.send(
      new CopyObjectCommand({
        Bucket: this.location.bucket,
        Key: this.key(toKey),
        CopySource: `${this.location.bucket}/${this.key(fromKey).split('/').map(encodeURIComponent).join('/')}`,
        MetadataDirective: 'REPLACE',
        ContentType: options.contentType,
        Metadata: { sha256: options.sha256 },
      }),
    );
    return true;
  }

  async putFile(key: string, path: string, size: number, options: PutOptions): Promise<void> {
    if (size <= this.partBytes) {
      await this.conditional(async () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.location.bucket,
            Key: this.key(key),
            Body: createReadStream(path),
            ContentLength: size,
            ContentMD5: (await md5OfRange(path, 0, size)).toString('base64'),
            ContentType: options.contentType,
            Metadata: { sha256: options.sha256 },
            IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
          }),
        ),
      );
      return;
    }
    await this.multipart(key, path, size, options);
  }

  /**
   * A multipart upload that resumes: an upload left open by an interrupted publish (same key, same
   * sha256 in its metadata) is continued, and each part already there whose ETag is the MD5 of our
   * bytes is kept.
   */
  private async multipart(key: string, path: string, size: number, options: PutOptions): Promise<void> {
    const Bucket = this.location.bucket;
    const Key = this.key(key);
    let uploadId: string | undefined;
    const open = await this.client.send(new ListMultipartUploadsCommand({ Bucket, Prefix: Key }));
    for (const u of open.Uploads ?? []) if (u.Key === Key && u.UploadId) uploadId = u.UploadId;
    const done = new Map<number, string>();
    if (uploadId) {
      let marker: string | undefined;
      do {
        const parts = await this.client.send(new ListPartsCommand({ Bucket, Key, UploadId: uploadId, PartNumberMarker: marker }));
        for (const p of parts.Parts ?? []) if (p.PartNumber && p.ETag) done.set(p.PartNumber, p.ETag.replace(/"/g, ''));
        marker = parts.IsTruncated ? parts.NextPartNumberMarker : undefined;
      } while (marker);
    } else {
      const created = await this.client.send(
        new CreateMultipartUploadCommand({ Bucket, Key, ContentType: options.contentType, Metadata: { sha256: options.sha256 } }),
      );
      uploadId = created.UploadId!;
    }
    const parts: { PartNumber: number; ETag: string }[] = [];
    for (let n = 1, start = 0; start < size; n++, start += this.partBytes) {
      const length = Math.min(this.partBytes, size - start);
      const md5 = await md5OfRange(path, start, length);
      const hex = md5.toString('hex');
      if (done.get(n) !== hex) {
        await this.client.send(
          new UploadPartCommand({
            Bucket,
            Key,
            UploadId: uploadId,
            PartNumber: n,
            Body: createReadStream(path, { start, end: start + length - 1 }),
            ContentLength: length,
            ContentMD5: md5.toString('base64'),
          }),
        );
      }
      parts.push({ PartNumber: n, ETag: `"${hex}"` });
    }
    await this.client.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
  }

  private async conditional<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (isStatus(e, 412, 409)) throw new PreconditionFailed(`${this.description}: precondition failed (${(e as Error).name})`);
      throw e;
    }
  }
}

async function md5OfRange(path: string, start: number, length: number): Promise<Buffer> {
  const hash = createHash('md5');
  for await (const chunk of createReadStream(path, { start, end: start + length - 1 })) hash.update(chunk as Buffer);
  return hash.digest();
}

/** The ETag S3 gives an object uploaded as these parts: MD5 of one part, or MD5 of the part MD5s with `-N`. */
export async function expectedEtag(path: string, size: number, partBytes: number): Promise<string> {
  if (size <= partBytes) return (await md5OfRange(path, 0, size)).toString('hex');
  const md5s: Buffer[] = [];
  for (let start = 0; start < size; start += partBytes) md5s.push(await md5OfRange(path, start, Math.min(partBytes, size - start)));
  return `${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${md5s.length}`;
}
