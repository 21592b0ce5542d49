#!/usr/bin/env node
// Connector throughput and memory on synthetic inputs generated here (nothing committed): a 1 GB
// WARC (BENCH_WARC_MB), the same records gzipped one member each, WET, a MediaWiki dump, ALTO
// pages and a Parquet file. Each connector runs in its own child process so that its peak RSS is
// its own; one JSON line per connector on stdout: records/s, MB/s and peak RSS. Runs against dist/.
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const MB = 1024 * 1024;
const dist = new URL('../dist/', import.meta.url);

// Sentences written for this benchmark.
const SENTENCES = [
  'Le conseil municipal a voté le budget de la commune pour l’année prochaine.',
  'La médiathèque propose des ateliers d’écriture chaque mercredi après-midi.',
  'Les travaux de la place du marché se termineront avant la fin du printemps.',
  'Une exposition consacrée aux métiers anciens ouvre ses portes au château.',
  'Les horaires d’ouverture de la mairie changent pendant les vacances scolaires.',
];
const paragraph = (i, n) => Array.from({ length: n }, (_, k) => SENTENCES[(i + k) % SENTENCES.length]).join(' ');

async function writeStreamed(file, totalBytes, makeChunk) {
  const out = createWriteStream(file);
  let written = 0;
  let i = 0;
  while (written < totalBytes) {
    const chunk = makeChunk(i++);
    written += chunk.length;
    if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r) => out.end(r));
  return i;
}

function warcRecord(i, type = 'response') {
  const html = Buffer.from(`<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Page ${i}</title></head><body><h1>Actualités ${i}</h1>${Array.from({ length: 12 }, (_, k) => `<p>${paragraph(i + k, 4)}</p>`).join('')}</body></html>`);
  const block =
    type === 'conversion'
      ? Buffer.from(Array.from({ length: 12 }, (_, k) => paragraph(i + k, 4)).join('\n'))
      : Buffer.concat([Buffer.from(`HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${html.length}\r\n\r\n`), html]);
  const head = `WARC/1.1\r\nWARC-Type: ${type}\r\nWARC-Record-ID: <urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}>\r\nWARC-Date: 2026-01-01T00:00:00Z\r\nWARC-Target-URI: https://exemple.fr/page/${i}\r\nContent-Type: ${type === 'conversion' ? 'text/plain' : 'application/http; msgtype=response'}\r\nContent-Length: ${block.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head), block, Buffer.from('\r\n\r\n')]);
}

function mediawikiDump() {
  let i = 0;
  return (n) => {
    if (n === 0) return Buffer.from('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11"><siteinfo><sitename>Wikipédia</sitename><base>https://fr.wikipedia.org/wiki/Accueil</base></siteinfo>\n');
    i++;
    const text = `{{Infobox Commune|nom=Ville ${i}}}\n'''Ville ${i}''' est une [[commune française]].&lt;ref&gt;Source ${i}&lt;/ref&gt;\n== Histoire ==\n${paragraph(i, 30)}\n* ${paragraph(i + 1, 2)}\n[[Catégorie:Commune]]`;
    return Buffer.from(`<page><title>Ville ${i}</title><ns>0</ns><id>${i}</id><revision><id>${i}</id><timestamp>2026-01-01T00:00:00Z</timestamp><text xml:space="preserve">${text}</text></revision></page>\n`);
  };
}

function altoPage(i) {
  const lines = Array.from({ length: 40 }, (_, k) => `<TextLine><String CONTENT="${paragraph(i + k, 1).slice(0, 60)}"/></TextLine>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><alto xmlns="http://www.loc.gov/standards/alto/ns-v4#"><Layout><Page><PrintSpace><TextBlock ID="b1">${lines}</TextBlock></PrintSpace></Page></Layout></alto>`;
}

async function prepare(dir) {
  const warcMb = Number(process.env.BENCH_WARC_MB ?? 1024);
  const plain = join(dir, 'bench.warc');
  await writeStreamed(plain, warcMb * MB, (i) => warcRecord(i));
  const gz = join(dir, 'bench.warc.gz');
  await writeStreamed(gz, (warcMb / 4) * MB * 0.25, (i) => gzipSync(warcRecord(i), { level: 1 }));
  const wet = join(dir, 'bench.warc.wet.gz');
  await writeStreamed(wet, (warcMb / 8) * MB * 0.25, (i) => gzipSync(warcRecord(i, 'conversion'), { level: 1 }));
  const dump = join(dir, 'bench-pages-articles.xml');
  const next = mediawikiDump();
  await writeStreamed(dump, (warcMb / 8) * MB, next);
  const { appendFileSync } = await import('node:fs');
  appendFileSync(dump, '</mediawiki>\n');
  const altoDir = join(dir, 'alto');
  mkdirSync(altoDir);
  for (let i = 0; i < 2000; i++) writeFileSync(join(altoDir, `p${String(i).padStart(5, '0')}.xml`), altoPage(i));
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const rows = 200_000;
  const pq = join(dir, 'bench.parquet');
  writeFileSync(pq, Buffer.from(parquetWriteBuffer({ columnData: [
    { name: 'id', data: Array.from({ length: rows }, (_, i) => `r${i}`), type: 'STRING' },
    { name: 'text', data: Array.from({ length: rows }, (_, i) => paragraph(i, 6)), type: 'STRING' },
  ], rowGroupSize: 20_000 })));
  return [
    { name: 'warc', connector: 'warc', input: plain },
    { name: 'warc.gz', connector: 'warc', input: gz },
    { name: 'wet.gz', connector: 'wet', input: wet },
    { name: 'mediawiki', connector: 'mediawiki', input: dump },
    { name: 'alto', connector: 'alto', input: altoDir },
    { name: 'parquet', connector: 'parquet', input: pq },
  ];
}

async function child({ connector, input }) {
  const { getConnector } = await import(new URL('connectors/index.js', dist).href);
  const { Stats } = await import(new URL('pipeline/stats.js', dist).href);
  const { silentLogger } = await import(new URL('pipeline/log.js', dist).href);
  const { noProgress } = await import(new URL('pipeline/progress.js', dist).href);
  const c = getConnector(connector);
  let rejected = 0;
  const ctx = { stats: new Stats(), log: silentLogger, progress: noProgress, signal: new AbortController().signal, task: { rank: 0, world: 1 }, reject: () => rejected++ };
  const options = c.options.parse({ input });
  const start = process.hrtime.bigint();
  let docs = 0;
  let chars = 0;
  for await (const d of c.read(options, { source: { id: 'bench', name: 'bench', connector, options: {} }, baseDir: '/' }, ctx)) {
    docs++;
    chars += d.raw ? d.raw.byteLength : d.text.length;
  }
  const s = Number(process.hrtime.bigint() - start) / 1e9;
  process.send({ docs, rejected, chars, s, peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024) });
}

if (process.argv[2] === '--child') {
  process.once('message', (m) => child(m).then(() => process.exit(0), (e) => (console.error(e), process.exit(1))));
} else {
  const dir = mkdtempSync(join(process.env.BENCH_TMP ?? tmpdir(), 'villers-bench-connectors-'));
  try {
    const cases = await prepare(dir);
    for (const c of cases) {
      const bytes = statSync(c.input).isDirectory() ? (await import('node:fs')).readdirSync(c.input).reduce((a, f) => a + statSync(join(c.input, f)).size, 0) : statSync(c.input).size;
      const p = fork(fileURLToPath(import.meta.url), ['--child']);
      const r = await new Promise((resolve, reject) => {
        p.once('message', resolve);
        p.once('exit', (code) => code !== 0 && reject(new Error(`${c.name}: child exited ${code}`)));
        p.send(c);
      });
      console.log(JSON.stringify({ bench: 'connectors', connector: c.name, input_mb: Math.round(bytes / MB), records: r.docs, rejected: r.rejected, seconds: Math.round(r.s * 100) / 100, records_per_s: Math.round(r.docs / r.s), mb_per_s: Math.round((bytes / MB / r.s) * 10) / 10, peak_rss_mb: r.peak_rss_mb }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
