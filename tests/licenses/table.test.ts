import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mapFirstLicense, mapLicense, LICENCE_OUVERTE_1, PUBLIC_DOMAIN } from '../../src/licenses/table.js';
import { checkLicenseId } from '../../src/licenses/spdx.js';

const idOf = (raw: string) => {
  const m = mapLicense(raw);
  return m.ok ? m.id : `${m.reason}`;
};

describe('licence table', () => {
  it.each([
    // udata slugs (data.gouv.fr)
    ['lov2', 'etalab-2.0'],
    ['fr-lo', LICENCE_OUVERTE_1],
    ['odc-odbl', 'ODbL-1.0'],
    ['odc-pddl', 'PDDL-1.0'],
    ['odc-by', 'ODC-By-1.0'],
    ['cc-by', 'CC-BY-4.0'],
    ['cc-by-sa', 'CC-BY-SA-4.0'],
    ['cc-zero', 'CC0-1.0'],
    // SPDX ids, case corrected
    ['CC-BY-4.0', 'CC-BY-4.0'],
    ['cc-by-nc-sa-2.0-fr', 'CC-BY-NC-SA-2.0-FR'],
    ['etalab-2.0', 'etalab-2.0'],
    ['LicenseRef-etalab-1.0', LICENCE_OUVERTE_1],
    // Creative Commons URLs
    ['http://creativecommons.org/licenses/by/4.0/', 'CC-BY-4.0'],
    ['https://creativecommons.org/licenses/by-sa/3.0/deed.fr', 'CC-BY-SA-3.0'],
    ['https://creativecommons.org/licenses/by-nc-nd/4.0/legalcode', 'CC-BY-NC-ND-4.0'],
    ['http://creativecommons.org/licenses/by-nc-sa/2.0/fr/', 'CC-BY-NC-SA-2.0-FR'],
    ['http://creativecommons.org/licenses/by/3.0/fr/', 'LicenseRef-CC-BY-3.0-FR'],
    ['https://creativecommons.org/publicdomain/zero/1.0/', 'CC0-1.0'],
    ['https://creativecommons.org/publicdomain/mark/1.0/', 'CC-PDM-1.0'],
    ['<https://spdx.org/licenses/etalab-2.0.html>', 'etalab-2.0'],
    ['https://opendatacommons.org/licenses/odbl/1-0/', 'ODbL-1.0'],
    ['https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf', 'etalab-2.0'],
    ['https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf', LICENCE_OUVERTE_1],
    // Creative Commons names, English and French
    ['CC BY 4.0', 'CC-BY-4.0'],
    ['CC-BY-SA 3.0', 'CC-BY-SA-3.0'],
    ['Creative Commons Attribution 4.0 International', 'CC-BY-4.0'],
    ['Creative Commons Attribution - Partage dans les Mêmes Conditions 4.0 International', 'CC-BY-SA-4.0'],
    ['Creative Commons Attribution - Pas d’Utilisation Commerciale - Pas de Modification 4.0 International', 'CC-BY-NC-ND-4.0'],
    ['Attribution-NonCommercial-ShareAlike 4.0 International'.replace(/^/, 'Creative Commons '), 'CC-BY-NC-SA-4.0'],
    ['CC BY-SA 3.0 FR', 'LicenseRef-CC-BY-SA-3.0-FR'],
    ['CC0', 'CC0-1.0'],
    ['CC0 1.0 Universal', 'CC0-1.0'],
    // Licence Ouverte
    ['Licence Ouverte 2.0', 'etalab-2.0'],
    ['Licence Ouverte / Open Licence version 2.0', 'etalab-2.0'],
    ['Licence ouverte v2.0', 'etalab-2.0'],
    ['Open Licence 2.0', 'etalab-2.0'],
    ['Licence Ouverte / Open Licence 1.0', LICENCE_OUVERTE_1],
    ['licence ouverte version 1', LICENCE_OUVERTE_1],
    // public domain, ODbL
    ['domaine public', PUBLIC_DOMAIN],
    ['Domaine public', PUBLIC_DOMAIN],
    ['Public Domain', PUBLIC_DOMAIN],
    ['ODbL', 'ODbL-1.0'],
    ['Open Database License (ODbL)', 'ODbL-1.0'],
  ])('maps %j to %s', (raw, id) => {
    expect(idOf(raw)).toBe(id);
  });

  it.each([
    ['notspecified'],
    ['other-open'],
    ['other-pd'],
    ['other-at'],
    ['other-whatever'],
  ])('refuses the udata slug %j, which names no licence text', (raw) => {
    const m = mapLicense(raw);
    expect(m).toMatchObject({ ok: false, reason: 'refused', raw });
  });

  it.each([
    ['http://creativecommons.org/licenses/by/'], // no version: not one licence text
    ['Licence Ouverte'], // no version
    ['info:eu-repo/semantics/openAccess'], // an access statement, not a licence
    ['Tous droits réservés'],
    ['CC BY-SA-ND 4.0'], // SA and ND cannot go together
    ['GPL-1.0'], // deprecated SPDX id
    [''],
  ])('leaves %j unknown and keeps the raw value', (raw) => {
    const m = mapLicense(raw);
    expect(m.ok).toBe(false);
    if (!m.ok) {
      expect(m.reason).toBe('unknown');
      expect(m.raw).toBe(raw.trim() === '' ? raw : raw);
    }
  });

  it('puts where and what was read into the evidence', () => {
    const m = mapLicense(' https://creativecommons.org/licenses/by/4.0/ ', 'dc:rights');
    expect(m).toMatchObject({ ok: true, id: 'CC-BY-4.0', via: 'url', evidence: 'dc:rights: "https://creativecommons.org/licenses/by/4.0/"' });
    const udata = mapLicense('cc-by', 'udata license');
    expect(udata.ok && udata.evidence).toContain('4.0 text');
  });

  it('takes the first statement of several that names a licence', () => {
    const m = mapFirstLicense(['info:eu-repo/semantics/openAccess', 'http://creativecommons.org/licenses/by-nc/4.0/']);
    expect(m).toMatchObject({ ok: true, id: 'CC-BY-NC-4.0' });
    const none = mapFirstLicense(['info:eu-repo/semantics/openAccess', 'Tous droits réservés']);
    expect(none).toMatchObject({ ok: false, reason: 'unknown', raw: ['info:eu-repo/semantics/openAccess', 'Tous droits réservés'] });
    expect(mapFirstLicense([])).toMatchObject({ ok: false, reason: 'missing' });
  });

  it('only ever answers with ids the licence gate accepts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.constantFrom('by', 'by-sa', 'by-nc', 'by-nd', 'by-nc-sa', 'by-nc-nd', 'sa', 'zz').chain((e) =>
            fc.tuple(fc.constantFrom('1.0', '2.0', '2.5', '3.0', '4.0'), fc.constantFrom('', 'fr/', 'de/', 'deed.fr')).map(
              ([v, tail]) => `https://creativecommons.org/licenses/${e}/${v}/${tail}`,
            ),
          ),
        ),
        (raw) => {
          const m = mapLicense(raw);
          if (m.ok) expect(checkLicenseId(m.id).ok).toBe(true);
        },
      ),
    );
  });
});
