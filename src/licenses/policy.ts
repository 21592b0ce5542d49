import { z } from 'zod';
import { checkLicenseId } from './spdx.js';
import { LICENCE_OUVERTE_1, PUBLIC_DOMAIN } from './table.js';

/** What a licence asks of whoever republishes a work under it, as far as a release needs to know. */
export interface LicenseTerms {
  id: string;
  /** Authors and sources must be credited. */
  attribution: boolean;
  /** The copyleft family whose terms the whole compilation must take, or null. */
  shareAlike: string | null;
  noncommercial: boolean;
  noderivatives: boolean;
  /** Whether villers knows this licence's terms at all (an unknown LicenseRef has none we can assume). */
  known: boolean;
}

const PERMISSIVE_ATTRIBUTION = new Set(['etalab-2.0', LICENCE_OUVERTE_1, 'ODC-By-1.0', 'MIT', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'CC-BY-1.0', 'CC-BY-2.0', 'CC-BY-2.5', 'CC-BY-3.0', 'CC-BY-4.0']);
const NO_CONDITIONS = new Set(['CC0-1.0', 'PDDL-1.0', 'CC-PDDC', 'CC-PDM-1.0', 'Unlicense', PUBLIC_DOMAIN]);

/** The terms of one SPDX id (or LicenseRef) as the release policy reads them. */
export function licenseTerms(id: string): LicenseTerms {
  const base = { id, attribution: false, shareAlike: null, noncommercial: false, noderivatives: false, known: true };
  if (NO_CONDITIONS.has(id)) return base;
  if (PERMISSIVE_ATTRIBUTION.has(id)) return { ...base, attribution: true };
  if (id === 'ODbL-1.0') return { ...base, attribution: true, shareAlike: 'ODbL' };
  if (/^GFDL-/.test(id)) return { ...base, attribution: true, shareAlike: 'GFDL' };
  const cc = /^CC-(BY(?:-NC)?(?:-ND)?(?:-SA)?)-(\d\.\d)(?:-[A-Z]+)?$/.exec(id.replace(/^LicenseRef-/, ''));
  if (cc) {
    const elements = cc[1]!.split('-');
    const nc = elements.includes('NC');
    const sa = elements.includes('SA');
    return {
      ...base,
      attribution: true,
      noncommercial: nc,
      noderivatives: elements.includes('ND'),
      // BY-SA and BY-NC-SA are different copyleft families: a work cannot satisfy both at once.
      shareAlike: sa ? (nc ? 'CC-BY-NC-SA' : 'CC-BY-SA') : null,
    };
  }
  return { ...base, attribution: true, known: false };
}

export const LicensePolicyOptions = z
  .object({
    allow_noncommercial: z.boolean().default(false).describe('publish NC licences (refused by default: a training set must be usable commercially)'),
    allow_noderivatives: z.boolean().default(false).describe('publish ND licences (refused by default: cleaning text is a modification)'),
  })
  .strict();
export type LicensePolicyOptions = z.output<typeof LicensePolicyOptions>;

export class LicensePolicyError extends Error {}

/**
 * Checks a recipe's allow-list before anything runs, so that a refused licence fails the recipe at
 * once rather than at release time: every id must be valid SPDX (or LicenseRef), and NC or ND ones
 * need the recipe to say so explicitly.
 */
export function checkAllowList(allow: string[], policy: LicensePolicyOptions): string[] {
  const ids: string[] = [];
  for (const raw of allow) {
    const check = checkLicenseId(raw);
    if (!check.ok) throw new LicensePolicyError(`license allow-list: "${raw}" is not an SPDX licence id (${check.reason})`);
    const terms = licenseTerms(check.id);
    if (terms.noncommercial && !policy.allow_noncommercial)
      throw new LicensePolicyError(`license allow-list: ${check.id} is non-commercial; set licenses.allow_noncommercial: true in the recipe to publish it`);
    if (terms.noderivatives && !policy.allow_noderivatives)
      throw new LicensePolicyError(`license allow-list: ${check.id} forbids derivatives; set licenses.allow_noderivatives: true in the recipe to publish it`);
    ids.push(check.id);
  }
  return ids;
}
