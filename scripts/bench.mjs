#!/usr/bin/env node
// `npm run bench`: one JSON line per measurement on stdout, messages on stderr.
// Foundation stages are measured here on real French text from Debian's French documentation
// (manpages-fr, debian-handbook), each stage in its own process so that its peak RSS is its own;
// then every scripts/bench-*.mjs of the other areas runs in turn.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dist = join(root, 'dist');
const MAN = '/usr/share/man/fr';
const HANDBOOK = '/usr/share/doc/debian-handbook/html/fr-FR';
const say = (m) => process.stderr.write(`bench: ${m}\n`);
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');

function ensureCorpus() {
  if (existsSync(MAN) && existsSync(HANDBOOK)) return true;
  if (process.getuid?.() === 0) {
    say('installing Debian French documentation (manpages-fr, debian-handbook) with apt-get');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'manpages-fr', 'debian-handbook'], { stdio: 'ignore', env });
  }
  return existsSync(MAN) && existsSync(HANDBOOK);
}

/** Man pages as plain text: roff requests and escapes removed, which is enough for benchmarking. */
function manToText(roff) {
  return roff
    .split('\n')
    .filter((l) => !l.startsWith('.\\"') && !l.startsWith("'\\\""))
    .map((l) => (l.startsWith('.') ? l.replace(/^\.[A-Za-z]+\s?/, '') : l))
    .join('\n')
    .replace(/\\f[BIRP]|\\f\(..|\\&|\\\(..|\\\*\(..|\\[*$]./g, '')
    .replace(/\\-/g, '-')
    .replace(/\\e/g, '\\')
    .replace(/"/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function walk(dir, pred) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && pred(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

function corpus() {
  const texts = walk(MAN, (n) => n.endsWith('.gz')).map((f) => ({ id: f, text: manToText(gunzipSync(readFileSync(f)).toString('utf8')) })).filter((d) => d.text.length > 200);
  const pages = walk(HANDBOOK, (n) => n.endsWith('.html')).map((f) => ({ id: f, raw: readFileSync(f) }));
  return { texts, pages };
}

async function measureStage(name) {
  const { makeDoc } = await import(join(dist, 'pipeline', 'doc.js'));
  const { createContext } = await import(join(dist, 'pipeline', 'context.js'));
  const { Stats } = await import(join(dist, 'pipeline', 'stats.js'));
  const { RejectsWriter } = await import(join(dist, 'pipeline', 'rejects.js'));
  const { silentLogger } = await import(join(dist, 'pipeline', 'log.js'));
  const { noProgress } = await import(join(dist, 'pipeline', 'progress.js'));
  const { stageDefinition } = await import(join(dist, 'pipeline', 'stages.js'));
  const { texts, pages } = corpus();
  const retrieved = '2026-01-01T00:00:00Z';
  const repeat = name === 'extract' ? 8 : 20;
  const docs = [];
  for (let r = 0; r < repeat; r++) {
    if (name === 'extract') for (const p of pages) docs.push(makeDoc({ id: `${p.id}#${r}`, source: 'bench', text: '', media_type: 'text/html', raw: p.raw, date_retrieved: retrieved }));
    else for (const t of texts) docs.push(makeDoc({ id: `${t.id}#${r}`, source: 'bench', text: r ? `${t.text}\n${r}` : t.text, license: 'GPL-2.0-or-later', license_evidence: 'bench', date_retrieved: retrieved }));
  }
  const bytes = docs.reduce((a, d) => a + (d.raw ? d.raw.byteLength : Buffer.byteLength(d.text)), 0);
  const dir = mkdtempSync(join(tmpdir(), 'villers-bench-'));
  const rejects = new RejectsWriter(join(dir, 'rejects'));
  const ctx = createContext({ stats: new Stats(), rejects, log: silentLogger, progress: noProgress });
  const options = { extract: { stage: 'extract' }, lang: { stage: 'lang', languages: [] }, dedup_exact: { stage: 'dedup_exact' }, license: { stage: 'license', allow: ['GPL-2.0-or-later'] } }[name];
  const def = stageDefinition(name);
  const stage = await def.create(def.options.parse(options), ctx);
  async function* input() { yield* docs; }
  const t0 = performance.now();
  let out = 0;
  for await (const _ of stage(input(), ctx)) out++;
  const seconds = (performance.now() - t0) / 1000;
  await rejects.close();
  rmSync(dir, { recursive: true, force: true });
  emit({ bench: 'stage', stage: name, corpus: name === 'extract' ? 'debian-handbook fr-FR HTML' : 'manpages-fr', docs: docs.length, kept: out, mb: +(bytes / 1e6).toFixed(2), seconds: +seconds.toFixed(3), docs_per_s: Math.round(docs.length / seconds), mb_per_s: +(bytes / 1e6 / seconds).toFixed(2), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) });
}

async function measureRun() {
  const { texts, pages } = corpus();
  const dir = mkdtempSync(join(tmpdir(), 'villers-bench-run-'));
  const data = join(dir, 'sources', 'debian');
  mkdirSync(join(data, 'pages'), { recursive: true });
  mkdirSync(join(data, 'man'), { recursive: true });
  writeFileSync(join(data, 'man', 'pages.jsonl'), texts.map((t, i) => JSON.stringify({ id: `man-${i}`, text: t.text })).join('\n'));
  pages.forEach((p, i) => writeFileSync(join(data, 'pages', `${String(i).padStart(4, '0')}.html`), p.raw));
  writeFileSync(join(dir, 'sources', 'debian.yaml'), 'id: debian\nname: Debian French documentation\nconnector: files\nlicense: GPL-2.0-or-later\nlicense_evidence: /usr/share/doc/debian-handbook/copyright\ndate_retrieved: 2026-01-01T00:00:00Z\noptions:\n  path: debian\n');
  mkdirSync(join(dir, 'datasets'));
  writeFileSync(join(dir, 'datasets', 'debian.yaml'), 'dataset: debian-fr\nversion: 1.0.0\nsources: [debian]\nstages:\n  - stage: extract\n  - stage: lang\n  - stage: dedup_exact\n  - stage: license\n    allow: [GPL-2.0-or-later]\noutput:\n  shard_target_bytes: 4MB\n  row_group_bytes: 1MB\n');
  const { runRecipe } = await import(join(dist, 'pipeline', 'run.js'));
  const { silentLogger } = await import(join(dist, 'pipeline', 'log.js'));
  const t0 = performance.now();
  const result = await runRecipe(join(dir, 'datasets', 'debian.yaml'), { outDir: join(dir, 'out'), log: silentLogger });
  const seconds = (performance.now() - t0) / 1000;
  const read = result.manifest.stages.files;
  emit({ bench: 'run', recipe: 'debian-fr (files → extract → lang → dedup_exact → license → write)', docs_in: read.out, docs_out: result.manifest.totals.documents, input_mb: +(read.bytes_out / 1e6).toFixed(2), seconds: +seconds.toFixed(3), docs_per_s: Math.round(read.out / seconds), shards: result.manifest.shards.length, shard_mb: +(result.manifest.totals.bytes / 1e6).toFixed(2), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024), stage_ms: Object.fromEntries(Object.entries(result.manifest.stages).map(([k, v]) => [k, Math.round(v.ms)])) });
  rmSync(dir, { recursive: true, force: true });
}

const [, , flag, value] = process.argv;
if (!existsSync(join(dist, 'pipeline', 'run.js'))) {
  say('dist/ is missing: run `npm run build` first');
  process.exit(1);
}
if (flag === '--stage') await measureStage(value);
else if (flag === '--run') await measureRun();
else {
  if (!ensureCorpus()) {
    emit({ bench: 'foundation', skipped: `Debian French documentation not found at ${MAN} and ${HANDBOOK}; install it with: apt-get install manpages-fr debian-handbook` });
  } else {
    for (const stage of ['extract', 'lang', 'dedup_exact', 'license']) execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--stage', stage], { stdio: ['ignore', 'inherit', 'inherit'] });
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--run'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
  for (const script of readdirSync(here).filter((f) => /^bench-.+\.mjs$/.test(f)).sort()) {
    say(`running ${script}`);
    const r = spawnSync(process.execPath, [join(here, script)], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (r.status !== 0) emit({ bench: script, error: `exited with ${r.status}` });
  }
}
