import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { repoRoot } from '../helpers/samples.js';
import { loadYaml } from '../../src/schema/load.js';
import { SourceSchema } from '../../src/schema/source.js';
import { getConnector } from '../../src/connectors/index.js';

const files = ['hal', 'theses-fr', 'datagouv', 'dila-legi', 'dila-jorf', 'dila-kali', 'assemblee'];

describe('sources/*.yaml for the French open-data endpoints', () => {
  it.each(files)('sources/%s.yaml is a valid source whose options its connector accepts', async (name) => {
    const source = await loadYaml(join(repoRoot, 'sources', `${name}.yaml`), SourceSchema);
    expect(source.id).toBe(name);
    const connector = getConnector(source.connector);
    expect(() => connector.options.parse(source.options)).not.toThrow();
  });
});
