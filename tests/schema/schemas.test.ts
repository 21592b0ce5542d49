import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../../src/schema/export.js';
import { ConfigError, parseYaml } from '../../src/schema/load.js';
import { RecipeSchema } from '../../src/schema/recipe.js';
import { SourceSchema } from '../../src/schema/source.js';
import { repoRoot } from '../helpers/samples.js';

describe('JSON Schemas in schemas/', () => {
  it('are the ones the zod schemas generate today (run `npm run schemas` when this fails)', async () => {
    for (const [name, text] of Object.entries(jsonSchemas())) {
      const committed = await readFile(join(repoRoot, 'schemas', name), 'utf8').catch(() => '(missing)');
      expect(committed, `schemas/${name} is stale`).toBe(text);
    }
  });
});

describe('a malformed YAML file', () => {
  const recipe = ['dataset: demo', 'version: 1.0.0', 'sources: [demo]', 'stages:', '  - stage: lang', '    threshold: high', ''].join('\n');

  it('gets an error naming the file, the line, the path inside it and what was expected', () => {
    let error: unknown;
    try {
      parseYaml(recipe, RecipeSchema, 'datasets/broken.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('datasets/broken.yaml:6');
    expect(message).toContain('stages[0].threshold');
    expect(message).toMatch(/expected number/);
  });

  it('names an unknown stage and the stages it could be', () => {
    expect(() => parseYaml(recipe.replace('stage: lang', 'stage: langid'), RecipeSchema, 'r.yaml')).toThrow(/stages\[0\]\.stage.*(lang|expected)/s);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseYaml('id: demo\nname: [unclosed\n', SourceSchema, 'sources/x.yaml')).toThrow(/sources\/x\.yaml:\d+: invalid YAML/);
  });

  it('rejects keys the schema does not know, so typos are not silently ignored', () => {
    expect(() => parseYaml(recipe.replace('threshold: high', 'treshold: 0.5'), RecipeSchema, 'r.yaml')).toThrow(/treshold/);
  });

  it('rejects a licence that is neither an SPDX id nor a LicenseRef', () => {
    const source = 'id: x\nname: X\nconnector: files\nlicense: "CC BY 4.0"\noptions: {path: a}\n';
    expect(() => parseYaml(source, SourceSchema, 'sources/x.yaml')).toThrow(/sources\/x\.yaml:4: license: .*SPDX/);
  });
});
