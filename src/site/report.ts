import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReleaseManifestSchema } from '../schema/manifest.js';
import { browserCss } from './assets.js';
import { computeDistributions } from './distributions.js';
import { Links } from './links.js';
import { readRejectExamples, RunStatsSchema } from './load.js';
import { reportPage } from './pages/report.js';
import { openCatalogSource } from './source.js';

/**
 * Writes `report.html` into a release folder: the "how it was made" page on its own (styles inlined,
 * no script), in French, so that CI keeps it as an artefact of the run. Reads the folder's
 * manifest.json, stats.json, rejects and shards.
 */
export async function writeReleaseReport(releaseDir: string, options: { sampleRows?: number } = {}): Promise<string> {
  const { source } = openCatalogSource(join(releaseDir, 'manifest.json'));
  const manifest = ReleaseManifestSchema.parse(JSON.parse(await readFile(join(releaseDir, 'manifest.json'), 'utf8')));
  const statsText = await source.text('stats.json');
  const stats = statsText === null ? null : RunStatsSchema.parse(JSON.parse(statsText));
  const page = reportPage(
    {
      manifest,
      stats,
      rejectExamples: await readRejectExamples(source, '', stats ?? manifest, 3),
      distributions: await computeDistributions(source, '', manifest, options.sampleRows ?? 20_000),
    },
    new Links('fr', 'report.html', ''),
    { standalone: { css: await browserCss() } },
  );
  const path = join(releaseDir, 'report.html');
  await writeFile(path, page);
  return path;
}
