import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRecipe, type RunResult } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { repoRoot } from '../helpers/samples.js';
import { writeCorpus, type Corpus } from './corpus.js';
import { releaseDigest } from './release-digest.js';

const cli = join(repoRoot, 'dist', 'cli', 'main.js');
const NOW = new Date('2026-06-01T00:00:00Z');
const env = { ...process.env, SOURCE_DATE_EPOCH: String(NOW.getTime() / 1000) };
let root: string;
let corpus: Corpus;
let reference: RunResult;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'villers-resume-'));
  corpus = await writeCorpus(root, { files: 24, docsPerFile: 150 });
  reference = await runRecipe(corpus.recipe, { outDir: join(root, 'reference'), log: silentLogger, now: NOW });
}, 120_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

function villers(args: string[]) {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
  return { child, exited, stderr: () => stderr };
}

async function finishedUnits(work: string): Promise<Map<string, { ino: number; mtimeMs: number }>> {
  const dir = join(work, 'units');
  const out = new Map<string, { ino: number; mtimeMs: number }>();
  if (!existsSync(dir)) return out;
  for (const name of await readdir(dir)) {
    const marker = join(dir, name, 'done.json');
    if (name.startsWith('.') || !existsSync(marker)) continue;
    const s = await stat(marker);
    out.set(name, { ino: s.ino, mtimeMs: s.mtimeMs });
  }
  return out;
}

describe('a local run killed mid-stage', () => {
  it('relaunched, redoes only the unfinished units and publishes a release byte-identical to an uninterrupted run', async () => {
    const out = join(root, 'killed');
    const work = join(root, 'killed-work');
    const args = ['run', corpus.recipe, '--out', out, '--work-dir', work, '--workers', '2', '--keep-work'];
    const first = villers(args);
    let before = new Map<string, { ino: number; mtimeMs: number }>();
    for (let i = 0; i < 3000 && before.size === 0; i++) {
      await sleep(10);
      before = await finishedUnits(work);
    }
    first.child.kill('SIGKILL');
    const { signal } = await first.exited;
    expect(signal, first.stderr()).toBe('SIGKILL');
    before = await finishedUnits(work);
    expect(before.size, 'the kill landed after some units finished').toBeGreaterThan(0);
    expect(before.size, 'the kill landed before every unit finished').toBeLessThan(corpus.files);
    expect(existsSync(join(out, 'exec-test', '1.0.0')), 'nothing was published by the killed run').toBe(false);

    const second = villers(args);
    const { code } = await second.exited;
    expect(code, second.stderr()).toBe(0);

    const after = await finishedUnits(work);
    expect(after.size).toBe(corpus.files);
    for (const [unit, s] of before) expect(after.get(unit), `unit ${unit} was not redone`).toEqual(s);
    const reports = await Promise.all(
      (await readdir(join(work, 'tasks'))).map(async (f) => JSON.parse(await readFile(join(work, 'tasks', f), 'utf8')) as { processed: number; reused: number }),
    );
    expect(reports.reduce((a, r) => a + r.reused, 0)).toBe(before.size);
    expect(reports.reduce((a, r) => a + r.processed, 0)).toBe(corpus.files - before.size);

    expect(await releaseDigest(join(out, 'exec-test', '1.0.0'))).toEqual(await releaseDigest(reference.releaseDir));
  }, 180_000);

  it('gives the same release whatever the number of workers', async () => {
    const out = join(root, 'three');
    const three = villers(['run', corpus.recipe, '--out', out, '--workers', '3']);
    expect((await three.exited).code, three.stderr()).toBe(0);
    expect(await releaseDigest(join(out, 'exec-test', '1.0.0'))).toEqual(await releaseDigest(reference.releaseDir));
    expect(existsSync(join(out, '.work')), 'the work folder is removed after publishing').toBe(false);
  }, 180_000);

  it('counts every stage across tasks as one run would: each document that enters a stage leaves it or is rejected', () => {
    const stages = reference.manifest.stages;
    expect(stages.files!.out).toBe(24 * 150 + 2);
    expect(stages.files!.rejected['files.malformed_json']).toBe(1);
    expect(stages.lang!.rejected['lang.not_wanted']).toBeGreaterThanOrEqual(1);
    expect(stages.dedup_exact!.rejected['dedup_exact.duplicate']).toBeGreaterThan(100);
    for (const s of Object.values(stages)) expect(s.in).toBe(s.out + Object.values(s.rejected).reduce((a, b) => a + b, 0));
  });
});
