import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { DocumentSchema } from './document.js';
import { SourceSchema } from './source.js';
import { RecipeSchema } from './recipe.js';
import { ReleaseManifestSchema } from './manifest.js';
import { CatalogSchema } from './catalog.js';

export const exportedSchemas = {
  document: DocumentSchema,
  source: SourceSchema,
  recipe: RecipeSchema,
  manifest: ReleaseManifestSchema,
  catalog: CatalogSchema,
} as const;

/** The JSON Schema text of each zod schema, as committed in `schemas/<name>.schema.json`. */
export function jsonSchemas(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, schema] of Object.entries(exportedSchemas)) {
    // Config files are what a person writes (defaults may be left out); releases are what we wrote.
    const io = name === 'source' || name === 'recipe' ? 'input' : 'output';
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' });
    out[`${name}.schema.json`] = JSON.stringify({ $id: `https://villers.dev/schemas/${name}.schema.json`, title: name, ...json }, null, 2) + '\n';
  }
  return out;
}

export async function writeJsonSchemas(dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files = jsonSchemas();
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return Object.keys(files);
}

if (import.meta.url === pathToFileURL(resolve(process.argv[1] ?? '')).href) {
  const dir = process.argv[2] ?? 'schemas';
  const written = await writeJsonSchemas(dir);
  process.stderr.write(`wrote ${written.map((f) => join(dir, f)).join(', ')}\n`);
}
