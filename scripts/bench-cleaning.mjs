#!/usr/bin/env node
// French-first cleaning benchmarks (issue 5), against dist/: one JSON line per measurement.
// Text: Debian's French documentation (manpages-fr), cut into documents; without it, the Leipzig
// French sentences of ../shared/corpus-samples grouped into documents.
// Targets: lang >= 3,000 docs/s on 2 KB documents on one core; all filters together >= 10,000
// docs/s per core on documentation-like text (median 700 characters).
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => join(root, 'dist', p);
const emit = (o) => process.stdout.write(JSON.stringify(o) + '\n');
const say = (m) => process.stderr.write(`bench-cleaning: ${m}\n`);
const MAN = '/usr/share/man/fr';
const LEIPZIG = join(root, '..', 'shared', 'corpus-samples', 'langid', 'leipzig__fra_news_2023_10K-sentences.txt');

/** Paragraphs of French text, from the man pages (roff removed roughly) or Leipzig sentences. */
function paragraphs() {
  if (existsSync(MAN)) {
    const files = readdirSync(MAN, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.gz')).map((e) => join(e.parentPath, e.name)).sort();
    const out = [];
    for (const f of files.slice(0, 1500)) {
      const roff = gunzipSync(readFileSync(f)).toString('utf8');
      const text = roff
        .split('\n')
        .filter((l) => !l.startsWith('.\\"') && !/^\.(TH|SH|SS|TP|PP|IP|LP|RS|RE|nf|fi|br|sp|in|ad|na|ft|ps|ne|hy|nh|de|ds|if|ie|el|so|tr)\b/.test(l))
        .map((l) => l.replace(/^\.[A-Za-z]+\s?/, ''))
        .join('\n')
        .replace(/\\f[BIRP]|\\f\(..|\\&|\\\(..|\\\*\(..|\\[*$]./g, '')
        .replace(/\\-/g, '-')
        .replace(/"/g, '');
      for (const p of text.split(/\n\s*\n/)) if (p.length > 80) out.push(p.replace(/\n/g, ' ').trim());
    }
    return { from: 'manpages-fr', paras: out };
  }
  if (existsSync(LEIPZIG)) return { from: 'leipzig fra_news_2023', paras: readFileSync(LEIPZIG, 'utf8').split('\n').filter(Boolean).map((l) => l.split('\t')[1]) };
  throw new Error(`no French text: install manpages-fr, or put corpus-samples at ${LEIPZIG}`);
}

/** Sentence runs of at most `max` characters, so that one long paragraph cannot make a document long. */
function pieces(paras, max) {
  const out = [];
  for (const p of paras) {
    let cur = '';
    for (const sentence of p.split(/(?<=[.!?:;])\s+/)) {
      if (cur && cur.length + 1 + sentence.length > max) {
        out.push(cur);
        cur = '';
      }
      cur = cur ? cur + ' ' + sentence : sentence;
    }
    if (cur) out.push(cur);
  }
  return out;
}

/**
 * Documents of `min` characters or a little more (on the man pages: median 2,020 for 1,800/500, 700 for 570/300), joined as
 * paragraphs from consecutive pieces of at most `max` characters.
 */
function documents(paras, min, max, count) {
  const parts = pieces(paras, max);
  const docs = [];
  let cur = '';
  for (let i = 0; docs.length < count; i = (i + 1) % parts.length) {
    cur = cur ? cur + '\n\n' + parts[i] : parts[i];
    if (cur.length >= min) {
      docs.push(cur);
      cur = '';
    }
  }
  return docs;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

function time(name, docs, fn, extra = {}) {
  for (let i = 0; i < Math.min(200, docs.length); i++) fn(docs[i]); // warm-up
  const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
  const t0 = performance.now();
  for (const d of docs) fn(d);
  const s = (performance.now() - t0) / 1000;
  emit({ bench: 'cleaning', stage: name, docs: docs.length, median_chars: median(docs.map((d) => d.length)), docs_per_s: Math.round(docs.length / s), mb_per_s: Math.round((bytes / 1e6 / s) * 100) / 100, threads: 1, ...extra });
}

const { from, paras } = paragraphs();
say(`${paras.length} paragraphs from ${from}`);
const { createLanguageJudge, LangOptions } = await import(dist('lang/stage.js'));
const { loadFastText } = await import(dist('lang/fasttext.js'));
const { normaliseText, NormaliseSettings } = await import(dist('text/normalise.js'));
const { gopherQuality, GopherQualitySettings, FRENCH_STOP_WORDS } = await import(dist('filters/gopher-quality.js'));
const { repetition, RepetitionSettings } = await import(dist('filters/repetition.js'));
const { fineweb, FineWebSettings } = await import(dist('filters/fineweb.js'));
const { readWords } = await import(dist('filters/words.js'));
const { redactPii } = await import(dist('pii/detect.js'));
const { createCleaner } = await import(dist('filters/clean.js'));
const { filterFile } = await import(dist('filters/run-file.js'));

const docs2k = documents(paras, 1800, 500, 5000);
const ft = await loadFastText();
time('fasttext_raw', docs2k, (d) => ft.identify(d, 1), { text: from });
const judge = await createLanguageJudge(LangOptions.parse({ stage: 'lang' }));
time('lang', docs2k, (d) => judge(d), { text: from, target_docs_per_s: 3000 });
const judgeWhole = await createLanguageJudge(LangOptions.parse({ stage: 'lang', paragraphs: { enabled: false } }));
time('lang_no_paragraphs', docs2k, (d) => judgeWhole(d), { text: from });

const docs700 = documents(paras, 570, 300, 20000);
const norm = NormaliseSettings.parse({});
const gq = GopherQualitySettings.parse({});
const stop = new Set(FRENCH_STOP_WORDS);
const rep = RepetitionSettings.parse({});
const fw = FineWebSettings.parse({});
time('normalise', docs700, (d) => normaliseText(d, norm), { text: from });
time('gopher_quality', docs700, (d) => gopherQuality(d, readWords(d), gq, stop), { text: from });
time('gopher_repetition', docs700, (d) => repetition(d, readWords(d), rep), { text: from });
time('fineweb', docs700, (d) => fineweb(d, readWords(d), fw), { text: from });
time('filters_all', docs700, (d) => {
  const n = normaliseText(d, norm).text;
  const w = readWords(n);
  gopherQuality(n, w, gq, stop);
  repetition(n, w, rep);
  fineweb(n, w, fw);
}, { text: from, what: 'normalise + gopher_quality + gopher_repetition + fineweb', target_docs_per_s: 10000 });
time('pii', docs700, (d) => redactPii(d), { text: from });
const clean = await createCleaner();
time('cleaning_all', docs700, (d) => clean(d), { text: from, what: 'lang + normalise + filters (villers filter, one thread)' });

// `villers filter` end to end on every core.
const dir = mkdtempSync(join(tmpdir(), 'villers-bench-filter-'));
try {
  const input = join(dir, 'in.jsonl');
  writeFileSync(input, docs700.map((text, i) => JSON.stringify({ id: String(i), text })).join('\n') + '\n');
  const workers = availableParallelism();
  const r = await filterFile({ input, output: join(dir, 'out.jsonl'), rejects: join(dir, 'rej.jsonl'), workers });
  emit({ bench: 'cleaning', stage: 'villers_filter', docs: r.read, kept: r.kept, docs_per_s: Math.round(r.read / (r.ms / 1000)), threads: workers, text: from });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
