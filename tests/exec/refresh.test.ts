import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/samples.js';
import { writeCorpus, type Corpus } from './corpus.js';

const run = promisify(execFile);
const cli = join(repoRoot, 'dist', 'cli', 'main.js');
let root: string;
let corpus: Corpus;

async function refresh(out: string): Promise<{ code: number; result: Record<string, unknown>; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, 'refresh', corpus.recipe, '--out', out, '--json']);
    return { code: 0, result: JSON.parse(stdout), stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, result: err.stdout ? JSON.parse(err.stdout) : {}, stderr: err.stderr };
  }
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'villers-refresh-'));
  corpus = await writeCorpus(root, { files: 5, docsPerFile: 30 });
  // Small shards, so that a release has several and a refresh can leave some unchanged.
  await writeFile(corpus.recipe, (await readFile(corpus.recipe, 'utf8')).replace('shard_target_bytes: 64KB', 'shard_target_bytes: 4KB').replace('row_group_bytes: 16KB', 'row_group_bytes: 4KB'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('villers refresh', () => {
  it('publishes, then exits 3 when nothing changed, then publishes a new version reading only the file that changed', async () => {
    const out = join(root, 'out');
    const first = await refresh(out);
    expect(first.code, first.stderr).toBe(0);
    expect(first.result).toMatchObject({ status: 'published', version: '1.0.0', units_processed: 5, units_reused: 0 });

    const again = await refresh(out);
    expect(again.code, again.stderr).toBe(3);
    expect(again.result).toMatchObject({ status: 'unchanged', version: '1.0.0', units_processed: 0, units_reused: 5 });

    await appendFile(
      join(corpus.dataDir, 'part-0002.jsonl'),
      JSON.stringify({ id: 'ajout', text: 'La médiathèque ouvre une salle de lecture pour les enfants, avec des contes chaque mercredi après-midi.' }) + '\n',
    );
    const changed = await refresh(out);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.result).toMatchObject({ status: 'published', units_processed: 1, units_reused: 4 });
    expect(changed.result.version).not.toBe('1.0.0');

    // New documents at the end of the plan leave the leading shards as they were: the new
    // version links them instead of storing them again.
    await appendFile(
      join(corpus.dataDir, 'part-0004.jsonl'),
      JSON.stringify({ id: 'ajout-fin', text: 'Le comité des fêtes prépare un bal populaire sur la place du marché pour le quatorze juillet.' }) + '\n',
    );
    const appended = await refresh(out);
    expect(appended.code, appended.stderr).toBe(0);
    const shardsOf = async (version: string) => {
      const dir = join(out, 'exec-test', version, 'data', 'default');
      return Promise.all((await readdir(dir)).map(async (n) => ({ name: n, ino: (await stat(join(dir, n))).ino })));
    };
    const before = await shardsOf(String(changed.result.version));
    const after = await shardsOf(String(appended.result.version));
    const shared = after.filter((a) => before.some((b) => b.ino === a.ino));
    expect(shared.length).toBeGreaterThan(0);
    expect(shared.length).toBeLessThan(after.length);
    const manifest = JSON.parse(await readFile(join(out, 'exec-test', String(appended.result.version), 'manifest.json'), 'utf8'));
    expect(manifest.stages.write.counts.shards_reused).toBe(shared.length);
    const validated = await run(process.execPath, [cli, 'validate', join(out, 'exec-test', String(appended.result.version))]);
    expect(validated.stdout).toMatch(/valid/);
  }, 180_000);

  it('logs JSON lines when its stderr is not a terminal, for CI', async () => {
    const { stderr } = await refresh(join(root, 'logs'));
    const lines = stderr.trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  }, 120_000);
});
