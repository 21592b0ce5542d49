import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadYaml } from '../../src/schema/load.js';
import { SourceSchema } from '../../src/schema/source.js';
import { getConnector } from '../../src/connectors/index.js';
import { checkLicenseId } from '../../src/licenses/spdx.js';
import { repoRoot } from '../helpers/samples.js';

const FILES = ['commoncrawl-fr.yaml', 'frwiki.yaml', 'frwikisource.yaml', 'gutenberg-fr.yaml', 'gallica-racine.yaml'];

describe('sources for the real public web archives, dumps and libraries', () => {
  it('each is a valid source whose options its connector accepts, with a known licence id when it declares one', async () => {
    for (const f of FILES) {
      const source = await loadYaml(join(repoRoot, 'sources', f), SourceSchema);
      const parsed = getConnector(source.connector).options.safeParse(source.options);
      expect(parsed.success, `${f}: ${parsed.error?.message}`).toBe(true);
      if (source.license) expect(checkLicenseId(source.license).ok, f).toBe(true);
    }
  });
});
