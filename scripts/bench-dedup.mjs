#!/usr/bin/env node
// Deduplication benchmark, against the built dist/. Prints JSON lines:
//  1. quality: near-duplicate set from real French sentences (Leipzig corpora in ../shared/corpus-samples)
//     with known ground truth (perturbed copies, and hard negatives sharing a few sentences):
//     pair precision and recall, for both MinHash schemes;
//  2. signatures per second on one core, for ~2 KB documents;
//  3. scale: total time and peak RSS of `villers dedup` on BENCH_DEDUP_DOCS documents (default 1,000,000)
//     of BENCH_DEDUP_DOC_CHARS characters (default 2000), about 10% of them perturbed copies.
// Env: BENCH_DEDUP_DOCS, BENCH_DEDUP_DOC_CHARS, BENCH_DEDUP_WORKERS (default: every core), BENCH_DEDUP_SKIP_SCALE=1.
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'dedup', 'local.js'))) {
  console.error('bench-dedup: dist/ is missing; run "npm run build" first');
  process.exit(1);
}
const { MinHasher } = await import(join(dist, 'dedup', 'minhash.js'));
const { runDedupLocal } = await import(join(dist, 'dedup', 'local.js'));
const { loadPlan, partName } = await import(join(dist, 'dedup', 'params.js'));

const samples = process.env.VILLERS_SAMPLES ?? resolve(root, '..', 'shared', 'corpus-samples');
const files = ['leipzig__fra_wikipedia_2021_10K-sentences.txt', 'leipzig__fra_news_2023_10K-sentences.txt'].map((f) => join(samples, 'langid', f));
for (const f of files) {
  if (!existsSync(f)) {
    console.error(`bench-dedup: ${f} not found (real French text is needed)`);
    process.exit(1);
  }
}
const sentences = files.flatMap((f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .map((l) => l.slice(l.indexOf('\t') + 1).trim())
    .filter((s) => s.length > 20),
);

function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(42);
const pick = (arr) => arr[Math.floor(rand() * arr.length)];
const shuffle = (arr) => {
  for (let i = arr.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [arr[i], arr[j]] = [arr[j], arr[i]];
  }
  return arr;
};
const stripAccents = (s) => s.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');

/** Paragraphs of whole sentences, ~chars long, drawn from `pool` (consumed when `consume`). */
function makeDoc(pool, chars, consume) {
  const paras = [];
  let para = [];
  let n = 0;
  while (n < chars && pool.length > 0) {
    const s = consume ? pool.pop() : pick(pool);
    para.push(s);
    n += s.length + 1;
    if (para.length === 4) {
      paras.push(para.join(' '));
      para = [];
    }
  }
  if (para.length) paras.push(para.join(' '));
  return paras;
}

const PERTURB = {
  changed_words: (p) =>
    p.map((para) =>
      para
        .split(' ')
        .map((w) => (rand() < 0.03 ? pick(['maison', 'toujours', 'grand', 'pays', 'enfin', 'ville']) : w))
        .join(' '),
    ),
  reordered: (p) => shuffle([...p]),
  footer: (p) => [...p, "Cet article vous a plu ? Abonnez-vous à notre lettre d'information pour recevoir chaque semaine nos meilleurs contenus."],
  accents_stripped: (p) => p.map((para, i) => (i === 1 ? stripAccents(para) : para)),
  deleted_sentence: (p) => p.map((para, i) => (i === 0 ? para.split('. ').slice(1).join('. ') : para)),
  truncated: (p) => p.slice(0, Math.max(1, p.length - 1)),
};
const kinds = Object.keys(PERTURB);

// 1. Quality ---------------------------------------------------------------------------------------
const pool = shuffle([...sentences]);
const reserve = pool.splice(0, 3000); // sentences for hard negatives, never in originals
const docs = [];
let originals = 0;
while (pool.length > 40) {
  const paras = makeDoc(pool, 2000, true);
  const group = `g${originals++}`;
  docs.push({ id: `${group}/orig`, text: paras.join('\n\n'), group });
  const copies = Math.floor(rand() * 4);
  for (let c = 0; c < copies; c++) {
    const kind = kinds[Math.floor(rand() * kinds.length)];
    docs.push({ id: `${group}/${c}-${kind}`, text: PERTURB[kind](paras).join('\n\n'), group });
  }
  // A hard negative: shares one paragraph (about a quarter of the text) with the original.
  if (rand() < 0.3) {
    const other = makeDoc(reserve, 1500, false);
    docs.push({ id: `${group}/neg`, text: [paras[0], ...other].join('\n\n'), group: `${group}/neg` });
  }
}
shuffle(docs);

function pairs(sizes) {
  let n = 0;
  for (const s of sizes) n += (s * (s - 1)) / 2;
  return n;
}

async function quality(scheme, workers) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-dedup-q-'));
  try {
    const input = join(dir, 'docs.jsonl');
    const fd = openSync(input, 'w');
    writeSync(fd, docs.map((d) => JSON.stringify({ id: d.id, text: d.text })).join('\n') + '\n');
    closeSync(fd);
    const t0 = performance.now();
    await runDedupLocal([input], join(dir, 'work'), { minhash: { scheme }, partition_bytes: 1 << 20 }, { workers });
    const ms = performance.now() - t0;
    const plan = loadPlan([input], join(dir, 'work'));
    const cluster = new Map();
    for (let p = 0; p < plan.partitions.length; p++) {
      for (const l of readFileSync(join(dir, 'work', 'clusters', `${partName(p)}.jsonl`), 'utf8').split('\n')) if (l) {
        const c = JSON.parse(l);
        cluster.set(c.id, c.cluster);
      }
    }
    const truth = new Map(docs.map((d) => [d.id, d.group]));
    const count = (key) => {
      const m = new Map();
      for (const d of docs) m.set(key(d), (m.get(key(d)) ?? 0) + 1);
      return [...m.values()];
    };
    const predicted = pairs(count((d) => cluster.get(d.id)));
    const actual = pairs(count((d) => truth.get(d.id)));
    const both = pairs(count((d) => `${cluster.get(d.id)}\u0000${truth.get(d.id)}`));
    // Recall per perturbation: the copy found in its original's cluster.
    const byKind = {};
    for (const d of docs) {
      const m = /\/\d+-(\w+)$/.exec(d.id);
      if (!m) continue;
      const k = (byKind[m[1]] ??= { copies: 0, found: 0 });
      k.copies++;
      if (cluster.get(d.id) === cluster.get(`${d.group}/orig`)) k.found++;
    }
    const recallByKind = Object.fromEntries(Object.entries(byKind).map(([k, v]) => [k, round(v.found / v.copies)]));
    const negatives = docs.filter((d) => d.id.endsWith('/neg'));
    const negativesMerged = negatives.filter((d) => cluster.get(d.id) === cluster.get(`${d.id.slice(0, -4)}/orig`)).length;
    return { bench: 'dedup.quality', scheme, recall_by_perturbation: recallByKind, hard_negatives: negatives.length, hard_negatives_merged: negativesMerged, documents: docs.length, originals, true_pairs: actual, predicted_pairs: predicted, precision: round(predicted ? both / predicted : 1), recall: round(actual ? both / actual : 1), ms: Math.round(ms) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const round = (x) => Math.round(x * 10000) / 10000;

const workers = Number(process.env.BENCH_DEDUP_WORKERS ?? availableParallelism());
for (const scheme of ['one-permutation', 'permutations']) console.log(JSON.stringify(await quality(scheme, workers)));

// 2. Signatures per second on one core -------------------------------------------------------------
const twoKb = docs.filter((d) => d.id.endsWith('/orig')).map((d) => d.text);
for (const scheme of ['one-permutation', 'permutations']) {
  const m = new MinHasher({ scheme });
  const out = new Uint32Array(m.size);
  for (let i = 0; i < 2; i++) for (const t of twoKb) m.signature(t, out); // warm-up
  let n = 0;
  let chars = 0;
  // CPU time as well as wall time: on a shared machine the wall clock also counts other processes.
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < 3000) {
    for (const t of twoKb) {
      m.signature(t, out);
      chars += t.length;
    }
    n += twoKb.length;
  }
  const s = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(
    JSON.stringify({
      bench: 'dedup.signatures_per_core',
      scheme,
      doc_chars: Math.round(chars / n),
      docs_per_s: Math.round(n / s),
      docs_per_cpu_s: Math.round(n / cpuS),
      mb_per_cpu_s: round(chars / cpuS / 1e6),
      target_docs_per_s: 50000,
    }),
  );
}

// 3. Scale: one million documents through the CLI, in a child process (its own peak RSS) ----------
if (process.env.BENCH_DEDUP_SKIP_SCALE !== '1') {
  const total = Number(process.env.BENCH_DEDUP_DOCS ?? 1_000_000);
  const chars = Number(process.env.BENCH_DEDUP_DOC_CHARS ?? 2000);
  const dir = mkdtempSync(join(tmpdir(), 'bench-dedup-scale-'));
  try {
    const input = join(dir, 'docs.jsonl');
    const fd = openSync(input, 'w');
    const t0 = performance.now();
    let buf = '';
    let bytes = 0;
    let last = null;
    for (let i = 0; i < total; i++) {
      let text;
      if (last && rand() < 0.1) text = PERTURB[kinds[i % kinds.length]](last).join('\n\n');
      else {
        last = makeDoc(sentences, chars, false);
        text = last.join('\n\n');
      }
      buf += JSON.stringify({ id: `d${i}`, text }) + '\n';
      if (buf.length > 1 << 22) {
        bytes += writeSync(fd, buf);
        buf = '';
      }
    }
    bytes += writeSync(fd, buf);
    closeSync(fd);
    const genMs = performance.now() - t0;
    const child = spawnSync(
      process.execPath,
      [join(dist, 'cli', 'main.js'), 'dedup', '--in', input, '--out', join(dir, 'clusters.jsonl'), '--workers', String(workers), '--work-dir', join(dir, 'work'), '--verbose'],
      { encoding: 'utf8' },
    );
    if (child.status !== 0) throw new Error(`villers dedup failed: ${child.stderr}`);
    const rss = /peak_rss_bytes=(\d+)/.exec(child.stderr);
    const summary = /(\d+) documents, (\d+) kept, (\d+) duplicates in (\d+) ms/.exec(child.stderr);
    const steps = Object.fromEntries([...child.stderr.matchAll(/step (\w+) (\d+) ms/g)].map((m) => [m[1], Number(m[2])]));
    console.log(
      JSON.stringify({
        bench: 'dedup.scale',
        documents: total,
        input_bytes: bytes,
        workers,
        generate_ms: Math.round(genMs),
        dedup_ms: summary ? Number(summary[4]) : null,
        kept: summary ? Number(summary[2]) : null,
        duplicates: summary ? Number(summary[3]) : null,
        step_ms: steps,
        peak_rss_bytes: rss ? Number(rss[1]) : null,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
