import { renameSync, writeFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';

/**
 * Replacing a file so that a reader (another task, a relaunched run) sees the old content or the
 * new, never half of it: written beside the target under a name no other process uses, then
 * renamed over it (rename is atomic within a filesystem).
 */
const tempName = (path: string) => `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;

export function replaceFileSync(path: string, text: string): void {
  const tmp = tempName(path);
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export async function replaceFile(path: string, text: string): Promise<void> {
  const tmp = tempName(path);
  await writeFile(tmp, text);
  await rename(tmp, path);
}
