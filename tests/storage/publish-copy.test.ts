import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/pipeline/log.js';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { validateRelease } from '../../src/release/validate.js';
import { FolderStore } from '../../src/storage/folder.js';
import { publishRelease } from '../../src/storage/publish.js';
import { pullRelease } from '../../src/storage/pull.js';
import { S3Store } from '../../src/storage/s3.js';
import { writeCorpus } from '../exec/corpus.js';
import { answers, requireService } from '../helpers/samples.js';

const endpoint = process.env.VILLERS_S3_ENDPOINT ?? 'http://127.0.0.1:7480';
process.env.AWS_ACCESS_KEY_ID ??= 'villers-test-key';
process.env.AWS_SECRET_ACCESS_KEY ??= 'villers-test-secret';
process.env.AWS_REGION ??= 'us-east-1';

let root: string;
let v1: RunResult;
let v2: RunResult;
/** Shards of v2 byte-identical to one of v1 (a refresh that appended a document to the last file). */
let shared: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'villers-publish-copy-'));
  const corpus = await writeCorpus(root, { files: 5, docsPerFile: 30, name: 'appended' });
  await writeFile(corpus.recipe, (await readFile(corpus.recipe, 'utf8')).replace('shard_target_bytes: 64KB', 'shard_target_bytes: 4KB').replace('row_group_bytes: 16KB', 'row_group_bytes: 4KB'));
  v1 = await runRecipe(corpus.recipe, { outDir: join(root, 'out'), log: silentLogger });
  await appendFile(join(corpus.dataDir, 'part-0004.jsonl'), JSON.stringify({ id: 'fin', text: 'Le comité des fêtes prépare un bal populaire sur la place du marché pour le quatorze juillet.' }) + '\n');
  v2 = await runRecipe(corpus.recipe, { outDir: join(root, 'out'), log: silentLogger });
  const before = new Set(v1.manifest.shards.map((s) => s.sha256));
  shared = v2.manifest.shards.filter((s) => before.has(s.sha256)).map((s) => s.path);
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('publishing a version after a refresh', () => {
  it('copies inside a folder store the shards the previous version holds, and uploads the rest', async () => {
    expect(v2.manifest.version).not.toBe(v1.manifest.version);
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.length).toBeLessThan(v2.manifest.shards.length);
    const target = join(root, 'mirror');
    await publishRelease(v1.releaseDir, new FolderStore(target), { log: silentLogger });
    const r = await publishRelease(v2.releaseDir, new FolderStore(target), { log: silentLogger });
    expect(r.copied.sort()).toEqual([...shared].sort());
    expect(r.uploaded.length).toBe(v2.manifest.shards.length - shared.length + v2.manifest.files.length);
    // A copy in a folder is a hard link to the previous version's file.
    const v1Path = v1.manifest.shards.find((s) => s.sha256 === v2.manifest.shards.find((x) => x.path === shared[0])!.sha256)!.path;
    const a = await stat(join(target, 'appended', v1.manifest.version, v1Path));
    const b = await stat(join(target, 'appended', v2.manifest.version, shared[0]!));
    expect(b.ino).toBe(a.ino);
    const pulled = await pullRelease(new FolderStore(target), 'appended', { out: join(root, 'pulled'), log: silentLogger });
    expect(pulled.version).toBe(v2.manifest.version);
    expect((await validateRelease(pulled.dir)).ok).toBe(true);
  });
});

const rgwRunning = () => answers(endpoint);

describe.skipIf(!requireService('Ceph RADOS Gateway (scripts/ceph-rgw-up.sh)', await rgwRunning()))('the same on a real Ceph RADOS Gateway', () => {
  it('copies the unchanged shards server-side (CopyObject), and the version pulls back valid', async () => {
    const bucket = `villers-copy-${process.pid}-${Date.now()}`;
    const client = new S3Client({ endpoint, region: process.env.AWS_REGION, forcePathStyle: true, requestChecksumCalculation: 'WHEN_REQUIRED' });
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const store = () => new S3Store({ bucket, prefix: 'releases' }, { endpoint });
    await publishRelease(v1.releaseDir, store(), { log: silentLogger });
    const r = await publishRelease(v2.releaseDir, store(), { log: silentLogger });
    expect(r.copied.sort()).toEqual([...shared].sort());
    const info = await store().head(`appended/${v2.manifest.version}/${shared[0]}`);
    expect(info?.sha256).toBe(v2.manifest.shards.find((s) => s.path === shared[0])!.sha256);
    const pulled = await pullRelease(store(), 'appended', { out: join(root, 'pulled-s3'), log: silentLogger });
    expect((await validateRelease(pulled.dir)).ok).toBe(true);
  });
});
