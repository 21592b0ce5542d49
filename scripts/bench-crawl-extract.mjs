#!/usr/bin/env node
// Crawler and extraction benchmark, against the built dist/. Prints JSON lines:
//  1. extraction speed: pages/s and MB/s of extractPage (decode + parse + metadata + licence + main text)
//     over the dev-eval pages (../shared/dev-eval) and our French development set, on one core;
//  2. crawl speed: pages/s of a crawl of a site this script serves on 127.0.0.1 (BENCH_CRAWL_PAGES pages,
//     default 600, over BENCH_CRAWL_HOSTS ports, default 6), with the per-host rate set high so the
//     crawler itself (scheduling, journal, WARC writing, link parsing) is what is measured;
//  3. extraction scores: the dev-eval scorer (its own code, run as a child process) on zyte-aeb and on
//     tests/extract/fixtures/fr-dev, with published Readability.js / trafilatura figures beside ours.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { spawnSync } from 'node:child_process';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'extract', 'page.js')) || !existsSync(join(dist, 'crawl', 'crawler.js'))) {
  console.error('bench-crawl-extract: dist/ is missing; run "npm run build" first');
  process.exit(1);
}
const { extractPage } = await import(pathToFileURL(join(dist, 'extract', 'page.js')).href);
const { crawl } = await import(pathToFileURL(join(dist, 'crawl', 'crawler.js')).href);
const { CrawlOptions } = await import(pathToFileURL(join(dist, 'crawl', 'options.js')).href);

const evalRoot = process.env.VILLERS_DEV_EVAL ?? resolve(root, '..', 'shared', 'dev-eval');
const zyteHtml = join(evalRoot, 'extraction', 'zyte-aeb', 'html');
const frDev = join(root, 'tests', 'extract', 'fixtures', 'fr-dev');
const print = (o) => process.stdout.write(JSON.stringify(o) + '\n');

// 1. extraction speed
const pages = [];
if (existsSync(zyteHtml)) for (const f of readdirSync(zyteHtml).sort()) pages.push(f.endsWith('.gz') ? gunzipSync(readFileSync(join(zyteHtml, f))) : readFileSync(join(zyteHtml, f)));
for (const f of readdirSync(join(frDev, 'html')).sort()) pages.push(readFileSync(join(frDev, 'html', f)));
for (const p of pages.slice(0, 20)) extractPage(p); // warm-up
const rounds = Number(process.env.BENCH_EXTRACT_ROUNDS ?? 3);
let bytes = 0;
const t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const p of pages) {
  extractPage(p);
  bytes += p.byteLength;
}
const secs = (performance.now() - t0) / 1000;
print({ bench: 'extract.speed', pages: pages.length * rounds, seconds: +secs.toFixed(2), pages_per_s: +((pages.length * rounds) / secs).toFixed(1), mb_per_s: +(bytes / 1e6 / secs).toFixed(2), cores: 1 });

// 2. crawl speed on a local site
const N = Number(process.env.BENCH_CRAWL_PAGES ?? 600);
const H = Number(process.env.BENCH_CRAWL_HOSTS ?? 6);
const body = (i, port) => {
  const links = [1, 2, 3].map((k) => `<a href="/p${(i * 3 + k) % N}.html">suite ${k}</a>`).join(' ');
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page ${i}</title></head><body><nav><a href="/">Accueil</a></nav><main><h1>Page ${i} de l'hôte ${port}</h1>${'<p>Un paragraphe de texte écrit pour le banc d\'essai, avec quelques virgules, des mots et des phrases.</p>'.repeat(8)}${links}</main></body></html>`;
};
const servers = await Promise.all(Array.from({ length: H }, () => new Promise((ok) => {
  const s = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    if (path === '/robots.txt') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nAllow: /\n');
    const m = /^\/p(\d+)\.html$/.exec(path);
    if (!m && path !== '/') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body(m ? Number(m[1]) : 0, s.address().port));
  });
  s.listen(0, '127.0.0.1', () => ok(s));
})));
const perHost = Math.ceil(N / H);
const dir = mkdtempSync(join(tmpdir(), 'villers-bench-crawl-'));
const options = CrawlOptions.parse({
  seeds: servers.map((s) => `http://127.0.0.1:${s.address().port}/`),
  scope: { max_depth: 1000, max_pages: N + H },
  rate_per_host: 10_000,
  concurrency: H,
  allow_addresses: ['127.0.0.1'],
});
let fetched = 0;
const c0 = performance.now();
const summary = await crawl(options, { dir, sourceId: 'bench', onPage: () => void fetched++ });
const csecs = (performance.now() - c0) / 1000;
print({ bench: 'crawl.speed', hosts: H, pages: fetched, seconds: +csecs.toFixed(2), pages_per_s: +(fetched / csecs).toFixed(1), per_host_pages: perHost, outcomes: summary.outcomes, note: 'per-host rate 10000/s, so this measures the crawler, not politeness' });
for (const s of servers) s.close();
rmSync(dir, { recursive: true, force: true });

// 3. extraction scores with the dev-eval scorer
const scorer = join(evalRoot, 'scripts', 'extraction-eval.mjs');
const adapter = join(mkdtempSync(join(tmpdir(), 'villers-bench-adapter-')), 'adapter.mjs');
writeFileSync(adapter, `import { extractPage } from ${JSON.stringify(pathToFileURL(join(dist, 'extract', 'page.js')).href)};\nexport function extract(html, { bytes }) { return extractPage(bytes ?? Buffer.from(html)).text; }\n`);
const published = { 'zyte-aeb': { readability_js: 0.947, trafilatura: 0.958 } };
for (const [name, args] of [['zyte-aeb', []], ['fr-dev', ['--data-dir', frDev]]]) {
  if (!existsSync(scorer)) {
    print({ bench: 'extract.score', set: name, skipped: `${scorer} not found` });
    continue;
  }
  if (name === 'zyte-aeb' && !existsSync(zyteHtml)) continue;
  const out = join(dirname(adapter), `${name}.json`);
  const r = spawnSync(process.execPath, [scorer, '--module', adapter, '--name', 'villers', '--bootstrap', '200', '--json', out, ...args], { encoding: 'utf8' });
  if (r.status !== 0) {
    print({ bench: 'extract.score', set: name, error: r.stderr.slice(-500) });
    continue;
  }
  const res = JSON.parse(readFileSync(out, 'utf8'));
  const set = Object.values(res.sets)[0];
  print({ bench: 'extract.score', set: name, pages: set.all.n, errors: set.all.errors, shingle_f1: +set.all.shingle4.f1.toFixed(4), shingle_precision: +set.all.shingle4.precision.toFixed(4), shingle_recall: +set.all.shingle4.recall.toFixed(4), word_f1: +set.all.words.f1.toFixed(4), ...(published[name] ? { published: published[name] } : {}) });
}
