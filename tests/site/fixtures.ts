import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRecipe } from '../../src/pipeline/run.js';
import { silentLogger } from '../../src/pipeline/log.js';
import { repoRoot } from '../helpers/samples.js';

/**
 * A catalog with two real releases made by the pipeline from the demo source: the demo recipe, and a
 * second dataset that keeps only public-domain-like licences (written here, by us), so that search
 * and filters have something to tell apart.
 */
export async function twoDatasetCatalog(): Promise<string> {
  const out = await mkdtemp(join(tmpdir(), 'villers-site-'));
  await runRecipe(join(repoRoot, 'datasets', 'demo.yaml'), { outDir: out, log: silentLogger });
  const recipe = join(out, 'ouvert.yaml');
  await writeFile(
    recipe,
    [
      '# Test recipe written for the site tests: the demo source, only CC0 and Etalab texts.',
      'dataset: demo-ouvert',
      'version: 1.0.0',
      'description: Textes de démonstration sous CC0 ou Licence Ouverte uniquement.',
      `sources_dir: ${join(repoRoot, 'sources')}`,
      'sources: [demo]',
      'stages:',
      '  - stage: extract',
      '    min_chars: 40',
      '  - stage: lang',
      '    languages: [fr]',
      '    threshold: 0.65',
      '  - stage: dedup_exact',
      '  - stage: license',
      '    allow: [CC0-1.0, etalab-2.0]',
      'output:',
      '  shard_target_bytes: 4KB',
      '  row_group_bytes: 2KB',
      '',
    ].join('\n'),
  );
  await runRecipe(recipe, { outDir: out, log: silentLogger });
  return out;
}
