import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { validateRelease } from '../../src/release/validate.js';
import { FolderStore } from '../../src/storage/folder.js';
import { HttpStore } from '../../src/storage/http.js';
import { S3Store } from '../../src/storage/s3.js';
import { publishRelease } from '../../src/storage/publish.js';
import { checkManifestPaths, pullRelease } from '../../src/storage/pull.js';
import { isSafeRelativePath } from '../../src/storage/store.js';
import { answers, repoRoot, requireService } from '../helpers/samples.js';
import { baseRecipe, workspace, type Workspace } from '../release/fixtures.js';

const cli = join(repoRoot, 'dist', 'cli', 'main.js');
const endpoint = process.env.VILLERS_S3_ENDPOINT ?? 'http://127.0.0.1:7480';
const s3env = {
  AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'villers-test-key',
  AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'villers-test-secret',
  AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
};
Object.assign(process.env, s3env);

let ws: Workspace;
let release: RunResult;
beforeAll(async () => {
  ws = await workspace();
  release = await runRecipe(ws.recipe, { outDir: ws.out, log: silentLogger });
});
afterAll(async () => {
  await rm(ws.root, { recursive: true, force: true });
});

describe('publish to a folder, pull from a folder and over HTTP', () => {
  it('publishes every file, manifest last, and pulls a release that validates', async () => {
    const target = join(ws.root, 'mirror');
    const r = await publishRelease(release.releaseDir, new FolderStore(target), { log: silentLogger });
    expect(r.uploaded.length).toBe(release.manifest.shards.length + release.manifest.files.length);
    expect(JSON.parse(await readFile(join(target, 'gazette', 'latest.json'), 'utf8')).version).toBe('1.0.0');
    const again = await publishRelease(release.releaseDir, new FolderStore(target), { log: silentLogger });
    expect(again).toMatchObject({ status: 'already published', uploaded: [] });

    const pulled = await pullRelease(new FolderStore(target), 'gazette', { out: join(ws.root, 'pulled'), log: silentLogger });
    expect(pulled.version).toBe('1.0.0');
    expect((await validateRelease(pulled.dir)).ok).toBe(true);
  });

  it('resumes an interrupted HTTP download with a Range request and verifies it', async () => {
    const root = join(ws.root, 'mirror');
    const ranges: string[] = [];
    const server: Server = createServer(async (req, res) => {
      const path = join(root, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) return void res.writeHead(404).end();
      const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
      if (m) ranges.push(req.url!);
      const start = m ? Number(m[1]) : 0;
      res.writeHead(m ? 206 : 200, { 'content-length': info.size - start, ...(m ? { 'content-range': `bytes ${start}-${info.size - 1}/${info.size}` } : {}) });
      createReadStream(path, { start }).pipe(res);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const out = join(ws.root, 'pulled-http');
      const shard = release.manifest.shards[0]!;
      const bytes = await readFile(join(release.releaseDir, shard.path));
      await mkdir(join(out, 'gazette', '1.0.0', 'data', 'default'), { recursive: true });
      await writeFile(join(out, 'gazette', '1.0.0', `${shard.path}.part`), bytes.subarray(0, 100));
      const pulled = await pullRelease(new HttpStore(`http://127.0.0.1:${port}/`), 'gazette@1.0.0', { out, log: silentLogger });
      expect(pulled.files.find((f) => f.path === shard.path)?.resumed_from).toBe(100);
      expect(ranges).toContain(`/gazette/1.0.0/${shard.path}`);
      expect((await validateRelease(pulled.dir)).ok).toBe(true);
    } finally {
      server.close();
    }
  });

  it('refuses a manifest naming an absolute path or one with ..', () => {
    for (const bad of ['/etc/passwd', '../x.parquet', 'data/../../x', 'C:/x', 'data\\x']) expect(isSafeRelativePath(bad)).toBe(false);
    expect(isSafeRelativePath('data/default/train-00000-of-00001.parquet')).toBe(true);
    const hostile = { ...release.manifest, shards: [{ ...release.manifest.shards[0]!, path: '../../outside.parquet' }] };
    expect(() => checkManifestPaths(hostile)).toThrow(/unsafe path/);
  });
});

const rgwRunning = () => answers(endpoint);

const running = await rgwRunning();
describe.skipIf(!requireService('Ceph RADOS Gateway (scripts/ceph-rgw-up.sh)', running))('publish to and pull from a real Ceph RADOS Gateway', () => {
  const client = new S3Client({ endpoint, region: s3env.AWS_REGION, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const bucket = `villers-${process.pid}-${Date.now()}`;
  const to = `s3://${bucket}/releases`;
  const exists = (key: string) =>
    client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
      () => true,
      () => false,
    );

  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  });

  it('survives a publish killed in the middle: readers see nothing, the resumed publish completes it', async () => {
    const child = spawn('node', [cli, 'publish', release.releaseDir, '--to', to, '--endpoint', endpoint, '--concurrency', '1'], { env: { ...process.env, ...s3env } });
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('uploaded')) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
    });
    expect(await exists('releases/catalog.json')).toBe(false);
    expect(await exists('releases/gazette/1.0.0/manifest.json')).toBe(false);

    const resumed = await publishRelease(release.releaseDir, new S3Store({ bucket, prefix: 'releases' }, { endpoint }), { log: silentLogger });
    expect(resumed.kept.length).toBeGreaterThan(0);
    expect(resumed.uploaded.length).toBeGreaterThan(0);
    expect(resumed.kept.length + resumed.uploaded.length).toBe(release.manifest.shards.length + release.manifest.files.length);
    expect(await exists('releases/catalog.json')).toBe(true);
  });

  it('pulls it back with `villers pull`, every file verified', async () => {
    const out = join(ws.root, 'pulled-s3');
    const r = await runCli(['pull', to, 'gazette', '--endpoint', endpoint, '--out', out, '--json']);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.files.length).toBe(release.manifest.shards.length + release.manifest.files.length);
    expect((await validateRelease(join(out, 'gazette', '1.0.0'))).ok).toBe(true);
  });

  it('detects a corrupted object on pull, and a new publish repairs it', async () => {
    const key = `releases/gazette/1.0.0/${release.manifest.shards[0]!.path}`;
    const original = Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToByteArray());
    const bad = Buffer.from(original);
    bad[Math.floor(bad.length / 2)] ^= 0xff;
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bad }));

    const r = await runCli(['pull', to, 'gazette@1.0.0', '--endpoint', endpoint, '--out', join(ws.root, 'pulled-bad')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/sha256 [0-9a-f]{64}, the manifest says/);

    const repaired = await publishRelease(release.releaseDir, new S3Store({ bucket, prefix: 'releases' }, { endpoint }), { log: silentLogger });
    expect(repaired.uploaded).toEqual([release.manifest.shards[0]!.path]);
    const again = await runCli(['pull', to, 'gazette@1.0.0', '--endpoint', endpoint, '--out', join(ws.root, 'pulled-good')]);
    expect(again.code).toBe(0);
  });

  it('uploads a large shard in parts and keeps a finished multipart object on resume', async () => {
    const big = await workspace({
      chroniques: Array.from({ length: 1600 }, (_, i) => `Chronique ${i} : ${randomWords(1500, i)}`),
    });
    try {
      await big.write(baseRecipe({ output: { shard_target_bytes: '512MB', row_group_bytes: '128MB' } }));
      const r = await runRecipe(big.recipe, { outDir: big.out, log: silentLogger });
      const shard = r.manifest.shards.find((s) => s.bytes > 5 * 1024 * 1024);
      expect(shard, 'a shard over one 5 MiB part').toBeDefined();
      const store = new S3Store({ bucket, prefix: 'big' }, { endpoint, partBytes: 5 * 1024 * 1024 });
      await publishRelease(r.releaseDir, store, { log: silentLogger });
      expect((await store.head(`gazette/1.0.0/${shard!.path}`))?.etag).toMatch(/-\d+$/);
      const again = await publishRelease(r.releaseDir, store, { log: silentLogger });
      expect(again.uploaded).toEqual([]);
    } finally {
      await rm(big.root, { recursive: true, force: true });
    }
  });
});

/** Pseudo-random letters (deterministic), so zstd cannot shrink the shard below one part. */
function randomWords(n: number, seed: number): string {
  let x = seed * 2654435761 + 1;
  const words: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = '';
    for (let j = 0; j < 5; j++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      w += String.fromCharCode(97 + (x >>> 16) % 26);
    }
    words.push(w);
  }
  return words.join(' ');
}

function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [cli, ...args], { env: { ...process.env, ...s3env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('exit', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
