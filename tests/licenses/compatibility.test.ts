import { describe, expect, it } from 'vitest';
import { checkCompatibility } from '../../src/licenses/compatibility.js';
import { checkAllowList, licenseTerms } from '../../src/licenses/policy.js';

describe('licences released together', () => {
  it('gives the expression most documents first, and the share-alike licence that governs the compilation', () => {
    const r = checkCompatibility({ 'CC-BY-SA-4.0': 3, 'etalab-2.0': 10 });
    expect(r).toMatchObject({ ok: true, expression: 'etalab-2.0 AND CC-BY-SA-4.0', shareAlike: 'CC-BY-SA-4.0' });
  });

  it('lets CC BY-SA 3.0 meet 4.0 (later-version clause) but refuses ODbL with CC BY-SA', () => {
    expect(checkCompatibility({ 'CC-BY-SA-3.0': 1, 'CC-BY-SA-4.0': 1 })).toMatchObject({ ok: true, shareAlike: 'CC-BY-SA-4.0' });
    const clash = checkCompatibility({ 'ODbL-1.0': 1, 'CC-BY-SA-4.0': 1 });
    expect(clash.ok).toBe(false);
    expect(clash.problems[0]).toMatch(/different families/);
  });

  it('refuses NC and ND in an allow-list unless the recipe opts in', () => {
    const none = { allow_noncommercial: false, allow_noderivatives: false };
    expect(() => checkAllowList(['CC-BY-NC-SA-4.0'], none)).toThrow(/non-commercial/);
    expect(() => checkAllowList(['CC-BY-ND-4.0'], none)).toThrow(/derivatives/);
    expect(checkAllowList(['cc-by-nd-4.0'], { ...none, allow_noderivatives: true })).toEqual(['CC-BY-ND-4.0']);
    expect(licenseTerms('CC0-1.0').attribution).toBe(false);
    expect(licenseTerms('etalab-2.0').attribution).toBe(true);
  });
});
