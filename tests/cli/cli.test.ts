import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/samples.js';

const exec = promisify(execFile);
const cli = join(repoRoot, 'dist', 'cli', 'main.js');

function withStdin(args: string[], input: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', [cli, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('villers (the command line)', () => {
  it('lists its commands in --help and each command has its own --help', async () => {
    const { stdout } = await exec('node', [cli, '--help']);
    for (const command of ['run', 'validate', 'langid']) expect(stdout).toContain(command);
    const run = await exec('node', [cli, 'run', '--help']);
    expect(run.stdout).toContain('--out');
  });

  it('langid prints one "<lang> <score>" line per input line', async () => {
    const { code, stdout } = await withStdin(['langid'], 'Le chat dort paisiblement sur le canapé du salon.\nThe weather is lovely today in London.\n');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^fr 0\.\d+$|^fr 1$/);
    expect(lines[1]).toMatch(/^en /);
  });

  it('langid --json prints the text with its language and score', async () => {
    const { stdout } = await withStdin(['langid', '--json'], 'Nous irons au marché demain matin avec les enfants.\n');
    expect(JSON.parse(stdout)).toMatchObject({ lang: 'fr', text: 'Nous irons au marché demain matin avec les enfants.' });
  });

  it('fails with a one-line reason naming the file and place when a recipe is malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'villers-cli-'));
    const recipe = join(dir, 'bad.yaml');
    await writeFile(recipe, 'dataset: demo\nversion: one\nsources: [demo]\nstages: []\n');
    const error = await exec('node', [cli, 'run', recipe, '--out', join(dir, 'out')]).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/bad\.yaml:2: version: a semantic version/);
    expect(error.stderr).not.toMatch(/\n\s+at /);
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a recipe whose stages go against the flow', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'villers-cli-'));
    const recipe = join(dir, 'order.yaml');
    await writeFile(recipe, `dataset: demo\nversion: 1.0.0\nsources: [demo]\nsources_dir: ${join(repoRoot, 'sources')}\nstages:\n  - stage: license\n    allow: [CC0-1.0]\n  - stage: lang\n`);
    const error = await exec('node', [cli, 'run', recipe, '--out', join(dir, 'out')]).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toMatch(/stages\[1\]: stage "lang"/);
    await rm(dir, { recursive: true, force: true });
  });
});
