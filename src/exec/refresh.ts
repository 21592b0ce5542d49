import { loadRecipe } from '../pipeline/recipe.js';
import { runRecipe, type RunOptions, type RunResult } from '../pipeline/run.js';
import { defaultWorkDir } from './plan.js';
import { taskReports } from './task.js';

/** `villers refresh` exits with this when nothing changed, so that CI can tell "no release" from a failure. */
export const UNCHANGED_EXIT_CODE = 3;

export interface RefreshResult extends RunResult {
  /** Units (source files) read again, and units whose output was reused unchanged. */
  processedUnits: number;
  reusedUnits: number;
}

/**
 * An incremental run for scheduled CI: the work folder is kept between runs, so a unit (a source
 * file) whose fingerprint (size and modification time) has not changed is not read again; units of
 * connectors that cannot tell what changed are redone (a new run id each refresh). The release is
 * then built from every unit, deduplicated across all of them, and published as a new version only
 * when its records differ from the latest published one (the release's versioning picks the bump).
 */
export async function refreshRecipe(recipeFile: string, options: RunOptions): Promise<RefreshResult> {
  const workDir = options.workDir ?? defaultWorkDir(options.outDir, await loadRecipe(recipeFile));
  const result = await runRecipe(recipeFile, { ...options, workDir, keepWork: true, fresh: true });
  const reports = await taskReports(workDir);
  return {
    ...result,
    processedUnits: reports.reduce((a, r) => a + r.processed, 0),
    reusedUnits: reports.reduce((a, r) => a + r.reused, 0),
  };
}
