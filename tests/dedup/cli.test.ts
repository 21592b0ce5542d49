import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../helpers/samples.js';
import { corpus } from './fixtures.js';
import { groups, tempDir, writeJsonl } from './helpers.js';

const cli = join(repoRoot, 'dist', 'cli', 'main.js');

describe('villers dedup (built CLI, worker threads)', () => {
  it('writes one {id, cluster, size, keep} line per input document, the same with 1 or 2 workers', () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first (npm test does)`);
    const dir = tempDir();
    const docs = corpus();
    const input = writeJsonl(join(dir, 'docs.jsonl'), [...docs.slice(0, 10), '{"id": oops', ...docs.slice(10)]);
    const run = (workers: number) => {
      const out = join(dir, `clusters-${workers}.jsonl`);
      const r = spawnSync(process.execPath, [cli, 'dedup', '--in', input, '--out', out, '--workers', String(workers), '--partition-size', '3KB'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/skipped 1 malformed line\(s\): dedup\.invalid_json/);
      expect(r.stderr).toMatch(/28 documents, 8 kept, 20 duplicates/);
      return readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    };
    const two = run(2);
    expect(two.map((l) => l.id)).toEqual(docs.map((d) => d.id));
    for (const l of two) expect(Object.keys(l)).toEqual(['id', 'cluster', 'size', 'keep']);
    expect(groups(two).filter((g) => g.length > 1)).toHaveLength(4);
    expect(run(1)).toEqual(two);
  }, 120_000);

  it('fails with a one-line reason on a missing input', () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
    const r = spawnSync(process.execPath, [cli, 'dedup', '--in', '/nonexistent/docs.jsonl', '--out', '-'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/villers: .*nonexistent/);
  });

  it('prints help', () => {
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run "npm run build" first`);
    expect(execFileSync(process.execPath, [cli, 'dedup', '--help'], { encoding: 'utf8' })).toMatch(/--bands/);
  });
});
