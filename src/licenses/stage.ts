import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { checkLicenseId } from './spdx.js';

export const LicenseOptions = z
  .object({
    stage: z.literal('license'),
    allow: z.array(z.string()).min(1).describe('SPDX ids (or LicenseRef-*) a document may carry to be published'),
  })
  .strict();

/**
 * The licence gate: every document must carry a valid SPDX id that the recipe allows. The id comes
 * from the document (a connector that reads it per record) or else from the source's declaration.
 */
export const licenseStage = defineStage({
  name: 'license',
  phase: 'license',
  options: LicenseOptions,
  create(options) {
    const allow = new Set<string>();
    for (const id of options.allow) {
      const check = checkLicenseId(id);
      if (!check.ok) throw new Error(`license.allow: "${id}" is not an SPDX licence id (${check.reason})`);
      allow.add(check.id);
    }
    return async function* (docs, ctx) {
      for await (const doc of docs) {
        if (!doc.license) {
          ctx.reject(doc, 'license', 'license.missing');
          continue;
        }
        const check = checkLicenseId(doc.license);
        if (!check.ok) {
          ctx.reject(doc, 'license', `license.${check.reason}`, { license: doc.license });
          continue;
        }
        doc.license = check.id;
        if (!allow.has(check.id)) {
          ctx.reject(doc, 'license', 'license.not_allowed', { license: check.id, allow: [...allow] });
          continue;
        }
        if (!doc.license_evidence) {
          ctx.reject(doc, 'license', 'license.no_evidence', { license: check.id });
          continue;
        }
        yield doc;
      }
    };
  },
});
