import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axe from 'axe-core';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/site/build.js';
import { ReleaseManifestSchema, type ReleaseManifest } from '../../src/schema/manifest.js';
import { repoRoot, requireService } from '../helpers/samples.js';
import { twoDatasetCatalog } from './fixtures.js';
import { serveFolder } from './serve.js';

/** Debian's chromium, installed by scripts/install-chromium.sh (which .ci/run calls). */
const CHROMIUM = process.env.VILLERS_CHROMIUM ?? '/usr/bin/chromium';
const haveChromium = requireService(`chromium (${CHROMIUM}; scripts/install-chromium.sh installs it)`, existsSync(CHROMIUM));
const artifacts = join(repoRoot, 'out', 'artifacts');

let out: string;
let profile: string;
let server: Awaited<ReturnType<typeof serveFolder>>;
let context: BrowserContext;
let page: Page;
let manifest: ReleaseManifest;
/** Request headers the browser sent, by URL, to see range requests happen. */
const requests: { url: string; range: string | undefined }[] = [];

async function seriousViolations(p: Page): Promise<string[]> {
  await p.addScriptTag({ content: axe.source });
  const result = await p.evaluate(() =>
    (window as unknown as { axe: typeof axe }).axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!haveChromium)('the catalog site in headless Chromium', () => {
  beforeAll(async () => {
    out = await twoDatasetCatalog();
    manifest = ReleaseManifestSchema.parse(JSON.parse(await readFile(join(out, 'demo', '1.0.0', 'manifest.json'), 'utf8')));
    // Site and data side by side under one root, as on a bucket: the site links the data as ../
    await buildSite({ catalog: join(out, 'catalog.json'), outDir: join(out, 'site') });
    server = await serveFolder(out);
    profile = await mkdtemp(join(tmpdir(), 'villers-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requests.push({ url: r.url(), range: r.headers()['range'] }));
    await mkdir(artifacts, { recursive: true });
  });
  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('searches and filters the home page instantly, and the address keeps the search', async () => {
    await page.goto(`${server.url}site/index.html`);
    const visible = () => page.locator('#dataset-list > li:visible h3 a').allTextContents();
    await expect.poll(visible).toEqual(['demo', 'demo-ouvert']);
    await expect.poll(() => page.locator('#filters').isVisible()).toBe(true);
    await page.getByLabel('Rechercher').fill('uniquement');
    await expect.poll(visible).toEqual(['demo-ouvert']);
    expect(await page.locator('#results-count').textContent()).toBe('1 jeu de données sur 2');
    expect(new URL(page.url()).searchParams.get('q')).toBe('uniquement');
    await page.getByLabel('Rechercher').fill('');
    await page.getByLabel('Licence').selectOption('CC-BY-SA-4.0');
    await expect.poll(visible).toEqual(['demo']);
    await page.getByLabel('Rechercher').fill('uniquement');
    await expect.poll(() => page.locator('#no-results').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    await expect.poll(visible).toEqual(['demo', 'demo-ouvert']);
    await page.screenshot({ path: join(artifacts, 'site-home.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('lists every dataset without JavaScript', async () => {
    const noJs = await context.newPage();
    const cdp = await context.newCDPSession(noJs);
    await cdp.send('Emulation.setScriptExecutionDisabled', { value: true });
    await noJs.goto(`${server.url}site/index.html`);
    expect(await noJs.locator('#dataset-list > li:visible').count()).toBe(2);
    expect(await noJs.locator('#filters').isVisible()).toBe(false);
    await noJs.close();
  });

  it('opens a dataset, shows its first rows read from a shard by range requests, and passes axe', async () => {
    await page.goto(`${server.url}site/index.html`);
    await page.getByRole('link', { name: 'demo', exact: true }).click();
    await page.waitForURL(/datasets\/demo\/index\.html$/);
    expect(await page.locator('h1').textContent()).toContain(manifest.pretty_name);
    const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent()) ?? 'null');
    expect(jsonLd).toEqual(JSON.parse(await readFile(join(out, 'demo', '1.0.0', 'croissant.json'), 'utf8')));

    const cells = page.locator('#preview table tbody tr th');
    await expect.poll(() => cells.count(), { timeout: 20_000 }).toBe(5);
    const first = await parquetReadObjects({ file: await asyncBufferFromFile(join(out, 'demo', '1.0.0', manifest.shards[0]!.path)), compressors, rowEnd: 5 });
    expect(await cells.allTextContents()).toEqual(first.map((r) => r.id));
    const shardRequests = requests.filter((r) => r.url.endsWith(manifest.shards[0]!.path));
    expect(shardRequests.length).toBeGreaterThan(0);
    expect(shardRequests.every((r) => r.range?.startsWith('bytes='))).toBe(true);

    await page.screenshot({ path: join(artifacts, 'site-dataset.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('downloads a shard whose sha256 is the one the page and the manifest give', async () => {
    const link = page.locator('#shards a[download]').first();
    const expected = await link.getAttribute('data-sha256');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const file = await download.path();
    expect(createHash('sha256').update(await readFile(file)).digest('hex')).toBe(expected);
    expect(expected).toBe(manifest.shards[0]!.sha256);
  });

  it('switches to English and back on every page, keeping the place', async () => {
    await page.goto(`${server.url}site/datasets/demo/index.html`);
    await page.getByRole('link', { name: 'English version' }).click();
    await page.waitForURL(/\/site\/en\/datasets\/demo\/index\.html$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('#versions-h').textContent()).toBe('Version history');
    await expect.poll(() => page.locator('#preview table tbody tr').count(), { timeout: 20_000 }).toBe(5);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Version française' }).click();
    await page.waitForURL(/\/site\/datasets\/demo\/index\.html$/);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
  });

  it('shows how each version was made, and that page passes axe too', async () => {
    await page.goto(`${server.url}site/datasets/demo/index.html`);
    await page.getByRole('link', { name: 'Comment la version 1.0.0 a été fabriquée' }).first().click();
    await page.waitForURL(/datasets\/demo\/1\.0\.0\/index\.html$/);
    const reasons = await page.locator('#rejects .reason h3 code').allTextContents();
    expect(reasons).toContain('lang.not_wanted');
    await page.locator('#rejects details summary').first().click();
    await expect.poll(() => page.locator('#rejects blockquote').first().isVisible()).toBe(true);
    await page.screenshot({ path: join(artifacts, 'site-report.png'), fullPage: true });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('can be used with the keyboard alone: skip link first, visible focus', async () => {
    await page.goto(`${server.url}site/index.html`);
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => ({ cls: document.activeElement?.className, outline: getComputedStyle(document.activeElement!).outlineStyle }));
    expect(focused.cls).toBe('skip-link');
    expect(focused.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#main');
  });
});
