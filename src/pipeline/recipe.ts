import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, loadYaml, parseYaml } from '../schema/load.js';
import { RecipeSchema, type Recipe } from '../schema/recipe.js';
import { SourceSchema, type Source } from '../schema/source.js';
import { getConnector } from '../connectors/index.js';
import { PHASES } from './stage.js';
import { stageDefinition } from './stages.js';

export interface LoadedSource {
  source: Source;
  file: string;
  /** The file's path relative to the project (the recipe folder's parent), the same wherever the run starts. */
  displayPath: string;
  baseDir: string;
  connectorOptions: unknown;
}

export interface LoadedRecipe {
  recipe: Recipe;
  file: string;
  sha256: string;
  sources: LoadedSource[];
}

/**
 * Reads a recipe and every source it names, and checks all of it before any document is read:
 * schemas, connector options, and that stages follow the one-way flow.
 */
export async function loadRecipe(file: string): Promise<LoadedRecipe> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new ConfigError(file, [{ path: '', message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  const recipe = parseYaml(text, RecipeSchema, file);
  let lastPhase = -1;
  for (const [i, spec] of recipe.stages.entries()) {
    const def = stageDefinition(spec.stage as string);
    const phase = PHASES.indexOf(def.phase);
    if (phase < lastPhase) {
      throw new ConfigError(file, [
        { path: `stages[${i}]`, message: `stage "${def.name}" (${def.phase}) comes after a later phase; order is ${PHASES.join(' → ')}` },
      ]);
    }
    lastPhase = phase;
  }
  const sourcesDir = resolve(dirname(file), recipe.sources_dir);
  const sources: LoadedSource[] = [];
  for (const id of recipe.sources) {
    const sourceFile = join(sourcesDir, `${id}.yaml`);
    const source = await loadYaml(sourceFile, SourceSchema);
    if (source.id !== id) throw new ConfigError(sourceFile, [{ path: 'id', message: `expected "${id}" (the file name), got "${source.id}"` }]);
    let connector;
    try {
      connector = getConnector(source.connector);
    } catch (e) {
      throw new ConfigError(sourceFile, [{ path: 'connector', message: (e as Error).message }]);
    }
    const parsed = connector.options.safeParse(source.options);
    if (!parsed.success) {
      throw new ConfigError(
        sourceFile,
        parsed.error.issues.map((issue) => ({ path: ['options', ...issue.path].join('.'), message: issue.message })),
      );
    }
    sources.push({ source, file: sourceFile, displayPath: relative(resolve(dirname(file), '..'), sourceFile), baseDir: dirname(sourceFile), connectorOptions: parsed.data });
  }
  return { recipe, file, sha256: createHash('sha256').update(text).digest('hex'), sources };
}
