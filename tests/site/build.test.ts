import { createHash } from 'node:crypto';
import { readFile, rm, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as cheerio from 'cheerio';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/site/build.js';
import { binByEdges, binEvenly } from '../../src/site/distributions.js';
import { ReleaseManifestSchema, type ReleaseManifest } from '../../src/schema/manifest.js';
import { twoDatasetCatalog } from './fixtures.js';
import { serveFolder } from './serve.js';

let out: string;
let manifest: ReleaseManifest;
const load = async (path: string) => cheerio.load(await readFile(path, 'utf8'));

beforeAll(async () => {
  out = await twoDatasetCatalog();
  manifest = ReleaseManifestSchema.parse(JSON.parse(await readFile(join(out, 'demo', '1.0.0', 'manifest.json'), 'utf8')));
  await buildSite({ catalog: join(out, 'catalog.json'), outDir: join(out, 'site') });
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

describe('villers run writes report.html beside the release', () => {
  it('shows the funnel of every stage, each reject reason with real examples, and the recipe', async () => {
    const $ = await load(join(out, 'demo', '1.0.0', 'report.html'));
    expect($('html').attr('lang')).toBe('fr');
    const stages = $('table:has(#funnel-caption) tbody th').map((_, e) => $(e).text()).get();
    expect(stages).toEqual(Object.keys(manifest.stages));
    const reasons = $('#rejects .reason h3 code').map((_, e) => $(e).text()).get();
    for (const s of Object.values(manifest.stages)) for (const r of Object.keys(s.rejected)) expect(reasons).toContain(r);
    // The English document the language stage dropped is quoted, marked as English.
    const english = $('#rejects blockquote[lang="en"]').first().text();
    expect(english).toMatch(/ordinance|Villers/);
    expect($('#recipe code').text()).toContain('stage: dedup_exact');
    // Stands alone: styles inlined, no script, no link to the site's assets.
    expect($('style').text()).toContain('.chart-bar');
    expect($('script').length).toBe(0);
  });
});

describe('villers site', () => {
  it('writes every page in French and in English, each with its lang and a link to the other', async () => {
    for (const page of ['index.html', 'datasets/demo/index.html', 'datasets/demo/1.0.0/index.html', 'datasets/demo-ouvert/index.html']) {
      const fr = await load(join(out, 'site', page));
      const en = await load(join(out, 'site', 'en', page));
      expect(fr('html').attr('lang')).toBe('fr');
      expect(en('html').attr('lang')).toBe('en');
      expect(fr('[data-lang-switch]').attr('hreflang')).toBe('en');
      expect(en('[data-lang-switch]').attr('hreflang')).toBe('fr');
      expect(fr('main h1').text()).not.toBe('');
      expect(fr('main h2').first().text()).not.toBe(en('main h2').first().text());
    }
  });

  it('lists every dataset on the home page in plain HTML, with documents, size, licences and sources', async () => {
    const $ = await load(join(out, 'site', 'index.html'));
    const cards = $('#dataset-list > li');
    expect(cards.length).toBe(2);
    const demo = cards.filter((_, e) => $(e).find('h3 a').text() === 'demo');
    expect(demo.find('dd').first().text()).toBe(String(manifest.totals.documents));
    expect(demo.attr('data-licenses')!.split('|')).toEqual(Object.keys(manifest.counts_by_license).sort());
    expect(demo.find('h3 a').attr('href')).toBe('datasets/demo/index.html');
    // The filter form is shown by the script only; the list never depends on it.
    expect($('#filters').attr('hidden')).toBeDefined();
  });

  it('links shards relative to the site by default, so site and data can sit side by side in a folder', async () => {
    const $ = await load(join(out, 'site', 'datasets', 'demo', 'index.html'));
    const links = $('#shards a[download]');
    expect(links.length).toBe(manifest.shards.length);
    for (const [i, s] of manifest.shards.entries()) {
      const a = links.eq(i);
      expect(a.attr('href')).toBe(`../../../demo/1.0.0/${s.path}`);
      expect(a.attr('data-sha256')).toBe(s.sha256);
      const file = await readFile(join(out, 'site', 'datasets', 'demo', a.attr('href')!));
      expect(createHash('sha256').update(file).digest('hex')).toBe(s.sha256);
    }
  });

  it('embeds the release’s Croissant JSON-LD verbatim', async () => {
    const $ = await load(join(out, 'site', 'datasets', 'demo', 'index.html'));
    const embedded = JSON.parse($('script[type="application/ld+json"]').text());
    expect(embedded).toEqual(JSON.parse(await readFile(join(out, 'demo', '1.0.0', 'croissant.json'), 'utf8')));
  });

  it('draws charts as SVG images with a title, a text description and the numbers as a table', async () => {
    const $ = await load(join(out, 'site', 'datasets', 'demo', 'index.html'));
    const chart = $('#chart-licenses');
    const svg = chart.find('svg');
    expect(svg.attr('role')).toBe('img');
    for (const id of svg.attr('aria-labelledby')!.split(' ')) expect($(`[id="${id}"]`).length).toBe(1);
    expect(svg.find('desc').text()).toContain('CC-BY-4.0');
    const rows = chart.find('table tbody tr');
    expect(rows.length).toBe(Object.keys(manifest.counts_by_license).length);
    expect(rows.first().find('td').first().text()).toBe(String(Object.values(manifest.counts_by_license)[0]));
  });

  it('shows how to load the dataset with Hugging Face datasets, DuckDB, pandas and villers pull, and how to cite it', async () => {
    const $ = await load(join(out, 'site', 'en', 'datasets', 'demo', 'index.html'));
    const tools = $('#load h3').map((_, e) => $(e).text()).get();
    expect(tools).toEqual(['Hugging Face datasets', 'DuckDB', 'pandas', 'villers pull']);
    expect($('#load').text()).toContain(manifest.shards[0]!.path);
    expect($('#cite code').text()).toMatch(/^@misc\{demo_1_0_0,/);
  });

  it('points links at --data-url when the data lives elsewhere', async () => {
    const site = join(out, 'site-cdn');
    await buildSite({ catalog: join(out, 'catalog.json'), outDir: site, dataUrl: 'https://data.example.org/corpus' });
    const $ = await load(join(site, 'datasets', 'demo', 'index.html'));
    expect($('#shards a[download]').first().attr('href')).toBe(`https://data.example.org/corpus/demo/1.0.0/${manifest.shards[0]!.path}`);
  });

  it('builds from a catalog URL, reading manifests, rejects and shards over HTTP', async () => {
    const server = await serveFolder(out);
    try {
      const site = join(out, 'site-remote');
      await buildSite({ catalog: `${server.url}catalog.json`, outDir: site });
      const $ = await load(join(site, 'datasets', 'demo', '1.0.0', 'index.html'));
      expect($('#distributions p').first().text()).toContain(String(manifest.totals.documents));
      expect($('#rejects .reason').length).toBeGreaterThan(3);
      const home = await load(join(site, 'datasets', 'demo', 'index.html'));
      expect(home('#shards a[download]').first().attr('href')).toBe(`${server.url}demo/1.0.0/${manifest.shards[0]!.path}`);
    } finally {
      await server.close();
    }
  });

  it('escapes what the catalog says, so a description cannot inject markup', async () => {
    const copy = await mkdtemp(join(tmpdir(), 'villers-site-evil-'));
    try {
      const catalog = JSON.parse(await readFile(join(out, 'catalog.json'), 'utf8'));
      catalog.datasets[0].description = '<script>alert(1)</script>';
      await writeFile(join(out, 'catalog-evil.json'), JSON.stringify(catalog));
      await buildSite({ catalog: join(out, 'catalog-evil.json'), outDir: copy });
      const text = await readFile(join(copy, 'index.html'), 'utf8');
      expect(text).not.toContain('<script>alert(1)</script>');
      expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('fails with the file at fault when the catalog is missing or invalid', async () => {
    await expect(buildSite({ catalog: join(out, 'nope.json'), outDir: join(out, 'x') })).rejects.toThrow(/no catalog at .*nope\.json/);
    await writeFile(join(out, 'bad.json'), JSON.stringify({ catalog_version: 2, datasets: [] }));
    await expect(buildSite({ catalog: join(out, 'bad.json'), outDir: join(out, 'x') })).rejects.toThrow(/bad\.json: catalog_version/);
  });
});

describe('histogram bins', () => {
  it('put every value in exactly one bin, whose range holds it', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }), (values) => {
        for (const bins of [binEvenly(values), binByEdges(values, [0, 100, 1000, 10000])]) {
          expect(bins.reduce((a, b) => a + b.count, 0)).toBe(values.length);
          for (const v of values) {
            const holding = bins.filter((b) => v >= b.lo && (b.hi === null || v < b.hi || (b === bins.at(-1) && v <= b.hi)));
            expect(holding.length).toBeGreaterThanOrEqual(1);
          }
        }
      }),
    );
  });
});
