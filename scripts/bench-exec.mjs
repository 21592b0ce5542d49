#!/usr/bin/env node
// Speed-up of the executors on the same input: local 1 → 2 worker threads, Slurm 1 → 4 array
// tasks (when a Slurm cluster answers; scripts/slurm-up.sh starts one). Runs the built dist/.
// The corpus is French text the villers team assembles here from its own word lists.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');
const FILES = Number(process.env.BENCH_EXEC_FILES ?? 16);
// 38,400 documents (20 MB): enough that per-thread start-up (module load, JIT, caches) is amortised.
const DOCS = Number(process.env.BENCH_EXEC_DOCS ?? 2400);

const A = ['La bibliothèque municipale', 'Le conseil du village', 'Une association de quartier', 'La médiathèque', "L'école primaire", 'Le comité des fêtes'];
const B = ['organise', 'présente', 'prépare', 'annonce', 'accueille', 'propose'];
const C = ['une exposition sur les métiers anciens', 'un atelier de lecture à voix haute', 'une balade commentée le long du canal', 'un concours de soupes de saison', 'une soirée de contes pour les enfants'];
let x = 12345;
const rnd = () => ((x ^= x << 13), (x >>>= 0), (x ^= x >>> 17), (x ^= x << 5), (x >>>= 0), x / 2 ** 32);
const pick = (xs) => xs[Math.floor(rnd() * xs.length)];

const root = await mkdtemp(join(tmpdir(), 'villers-bench-exec-'));
try {
  await mkdir(join(root, 'sources', 'bench'), { recursive: true });
  await mkdir(join(root, 'datasets'), { recursive: true });
  let bytes = 0;
  for (let f = 0; f < FILES; f++) {
    const lines = [];
    for (let d = 0; d < DOCS; d++) {
      const text = Array.from({ length: 6 }, () => `${pick(A)} ${pick(B)} ${pick(C)} le ${1 + Math.floor(rnd() * 28)} du mois.`).join(' ');
      lines.push(JSON.stringify({ id: `${f}-${d}`, text }));
    }
    const body = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(body);
    await writeFile(join(root, 'sources', 'bench', `part-${String(f).padStart(4, '0')}.jsonl`), body);
  }
  await writeFile(join(root, 'sources', 'bench.yaml'), 'id: bench\nname: bench\nconnector: files\nlicense: CC-BY-4.0\nlicense_evidence: written for the bench\ndate_retrieved: 2026-01-01T00:00:00Z\noptions:\n  path: bench\n');
  const recipe = join(root, 'datasets', 'bench.yaml');
  await writeFile(recipe, [
      'dataset: bench', 'version: 1.0.0', 'sources: [bench]', 'stages:',
      // The per-document stages of a French web recipe (they run in the tasks), then the merge's.
      '  - stage: lang', '    languages: [fr]', '  - stage: normalise', '  - stage: gopher_quality', '  - stage: fineweb', '  - stage: c4', '  - stage: pii',
      '  - stage: dedup_exact', '  - stage: license', '    allow: [CC-BY-4.0]', '',
    ].join('\n'));

  const time = async (label, args) => {
    const out = join(root, `out-${label}`);
    const t0 = performance.now();
    await run(process.execPath, [cli, 'run', recipe, '--out', out, ...args], { maxBuffer: 1 << 26 });
    const s = (performance.now() - t0) / 1000;
    // The merge's serial tail (what it did after the last task ended) bounds the speed-up (Amdahl).
    const stats = JSON.parse(await readFile(join(out, 'bench', '1.0.0', 'stats.json'), 'utf8'));
    await rm(out, { recursive: true, force: true });
    return { s, tail: stats.tail_s };
  };
  const report = (name, base, fast, extra) =>
    console.log(
      JSON.stringify({
        bench: name, input_files: FILES, input_bytes: bytes, docs: FILES * DOCS,
        base_s: +base.s.toFixed(3), s: +fast.s.toFixed(3), speedup: +(base.s / fast.s).toFixed(2),
        // Before the tail: the tasks (and the merge reading their units beside them).
        serial_tail_s: [base.tail, fast.tail], speedup_before_tail: +((base.s - base.tail) / (fast.s - fast.tail)).toFixed(2),
        cores: cpus().length, load_avg_1m: +loadavg()[0].toFixed(2), ...extra,
      }),
    );

  // What this machine allows: the language stage on the same documents in one thread, then in two
  // at once. Memory-bound work does not double on every pair of vCPUs (shared caches, SMT hosts).
  const machine = await twoThreadScaling(root);
  console.log(JSON.stringify({ bench: 'exec.machine.lang_two_threads', one_thread_ms: machine.one, two_threads_ms: machine.two, throughput_gain: +((2 * machine.one) / machine.two).toFixed(2), note: 'the ceiling of a 1 -> 2 speed-up here' }));

  const w1 = await time('w1', ['--workers', '1']);
  const w2 = await time('w2', ['--workers', '2']);
  report('exec.local.workers_1_to_2', w1, w2, { workers: [1, 2] });

  let slurm = false;
  try {
    slurm = /idle|mixed|allocated/.test((await run('sinfo', ['-h', '-o', '%T'])).stdout);
  } catch {}
  if (slurm) {
    const t1 = await time('s1', ['--executor', 'slurm', '--tasks', '1', '--cpus', '1']);
    const t4 = await time('s4', ['--executor', 'slurm', '--tasks', '4', '--cpus', '1']);
    report('exec.slurm.tasks_1_to_4', t1, t4, { tasks: [1, 4], note: 'wall time incl. scheduling; 4 tasks share the node\'s cores' });
  } else console.log(JSON.stringify({ bench: 'exec.slurm.tasks_1_to_4', skipped: 'no Slurm cluster (scripts/slurm-up.sh starts one)' }));
} finally {
  await rm(root, { recursive: true, force: true });
}

/** Milliseconds for the language stage on 20,000 documents in one thread, and for two threads doing that at once. */
async function twoThreadScaling(dir) {
  const { Worker } = await import('node:worker_threads');
  const stage = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'lang', 'stage.js');
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    (async () => {
      const { createLanguageJudge, LangOptions } = await import(workerData.stage);
      const judge = await createLanguageJudge(LangOptions.parse({ stage: 'lang' }));
      const fs = require('node:fs');
      const docs = workerData.files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\\n').filter(Boolean)).slice(0, 20000).map((l) => JSON.parse(l).text);
      for (const d of docs.slice(0, 2000)) judge(d);
      const t0 = performance.now();
      for (const d of docs) judge(d);
      parentPort.postMessage(performance.now() - t0);
    })();`;
  const folder = join(dir, 'sources', 'bench');
  const files = (await readdir(folder)).sort().map((n) => join(folder, n));
  const run = (n) =>
    Promise.all(Array.from({ length: n }, () => new Promise((res, rej) => {
      const w = new Worker(code, { eval: true, workerData: { stage, files } });
      w.once('message', (ms) => (w.terminate(), res(ms)));
      w.once('error', rej);
    }))).then((ms) => Math.round(Math.max(...ms)));
  const one = await run(1);
  const two = await run(2);
  return { one, two };
}
