import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { Logger } from '../pipeline/log.js';
import { writeAssets, vendorImports } from './assets.js';
import { LANGS, MESSAGES } from './i18n.js';
import { Links } from './links.js';
import { loadSiteData } from './load.js';
import { datasetPage } from './pages/dataset.js';
import { homePage } from './pages/home.js';
import { reportPage } from './pages/report.js';
import { openCatalogSource } from './source.js';

export const SiteOptionsSchema = z
  .object({
    /** catalog.json: a path or an http(s) URL. */
    catalog: z.string().min(1),
    outDir: z.string().min(1),
    /**
     * Base URL of the data (where catalog.json's paths start). Default: where the catalog is, as an
     * absolute URL when it was given as one, else as a path relative to the site's folder.
     */
    dataUrl: z.string().optional(),
    sampleRows: z.number().int().positive().default(20_000),
  })
  .strict();
export type SiteOptions = z.input<typeof SiteOptionsSchema>;

export interface SiteResult {
  outDir: string;
  pages: string[];
  dataBase: string;
}

/** Writes the static catalog site: home, one page per dataset, one "how it was made" page per version, in French and English. */
export async function buildSite(input: SiteOptions, log?: Logger): Promise<SiteResult> {
  const options = SiteOptionsSchema.parse(input);
  const { source, catalogPath } = openCatalogSource(options.catalog);
  const site = await loadSiteData(source, catalogPath, { sampleRows: options.sampleRows });
  const outDir = resolve(options.outDir);
  const dataBase = withSlash(options.dataUrl ?? (source.remote ? source.baseUrl.href : relativeDir(outDir, fileURLToPath(source.baseUrl))));
  const pages: string[] = [];
  const write = async (file: string, text: string) => {
    const path = join(outDir, file);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
    pages.push(file);
  };
  await writeAssets(outDir);
  for (const lang of LANGS) {
    const t = MESSAGES[lang];
    const home = new Links(lang, 'index.html', dataBase);
    await write(home.file, homePage(site, home));
    for (const d of site.datasets) {
      const links = new Links(lang, `datasets/${d.name}/index.html`, dataBase);
      await write(links.file, datasetPage(d, links, { importMap: vendorImports((p) => links.asset(p)) }));
      for (const v of d.versions) {
        const vl = new Links(lang, `datasets/${d.name}/${v.manifest.version}/index.html`, dataBase);
        const crumbs = [
          { label: t.home, href: vl.page('index.html') },
          { label: d.name, href: vl.page(`datasets/${d.name}/index.html`) },
          { label: t.howMadeLink(v.manifest.version) },
        ];
        await write(vl.file, reportPage(v, vl, { crumbs }));
      }
    }
  }
  log?.info(`site: ${pages.length} pages for ${site.datasets.length} datasets in ${outDir} (data at ${dataBase})`);
  return { outDir, pages, dataBase };
}

function relativeDir(from: string, to: string): string {
  const rel = relative(from, to).split('\\').join('/');
  return rel === '' ? './' : rel;
}

function withSlash(base: string): string {
  if (base === '' || base === '.') return '';
  if (base === './') return '';
  return base.endsWith('/') ? base : `${base}/`;
}
