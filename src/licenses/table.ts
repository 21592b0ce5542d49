import { checkLicenseId } from './spdx.js';

/**
 * The one licence mapping table every connector uses: a raw rights statement as sources write it
 * (an SPDX id, a udata licence slug, a Creative Commons URL or name, "Licence Ouverte 2.0",
 * "domaine public", ODbL...) → an SPDX id, or a `LicenseRef-*` where SPDX has none.
 *
 * Exactness over coverage: a statement that does not name one licence text (a Creative Commons
 * URL without a version, an unversioned "Licence Ouverte") is `unknown`, so that it is rejected
 * with its raw value rather than guessed.
 */

/** Licence Ouverte / Open Licence 1.0 (Etalab, 2011): SPDX lists only version 2.0. */
export const LICENCE_OUVERTE_1 = 'LicenseRef-etalab-1.0';
/** Works stated to be in the public domain without a licence instrument ("domaine public"). */
export const PUBLIC_DOMAIN = 'LicenseRef-public-domain';

export type LicenseMatch =
  | { ok: true; id: string; via: 'spdx' | 'udata' | 'url' | 'name'; raw: string; evidence: string; note?: string }
  | { ok: false; reason: 'unknown' | 'refused'; raw: string; why: string };

interface UdataEntry {
  id: string | null;
  /** Why the id is what it is, when udata's own entry leaves something to say. */
  note?: string;
}

/**
 * udata licence slugs (data.gouv.fr `GET /api/1/datasets/licenses/`). udata's `cc-by` and
 * `cc-by-sa` carry no version; data.gouv.fr points them at the current 4.0 texts, which we state
 * in the evidence. `notspecified` and the `other-*` family name no licence text: refused.
 */
const UDATA: Record<string, UdataEntry> = {
  lov2: { id: 'etalab-2.0' },
  'fr-lo': { id: LICENCE_OUVERTE_1 },
  'odc-odbl': { id: 'ODbL-1.0' },
  'odc-pddl': { id: 'PDDL-1.0' },
  'odc-by': { id: 'ODC-By-1.0' },
  'cc-zero': { id: 'CC0-1.0' },
  'cc-by': { id: 'CC-BY-4.0', note: 'udata "cc-by" has no version; data.gouv.fr links it to the 4.0 text' },
  'cc-by-sa': { id: 'CC-BY-SA-4.0', note: 'udata "cc-by-sa" has no version; data.gouv.fr links it to the 4.0 text' },
  notspecified: { id: null },
  'other-open': { id: null },
  'other-at': { id: null },
  'other-pd': { id: null },
  'other-closed': { id: null },
};

const CC_ELEMENTS: Record<string, string> = { by: 'BY', sa: 'SA', nc: 'NC', nd: 'ND' };
/** Element order SPDX uses in CC ids: BY, NC, ND, SA (`CC-BY-NC-SA-4.0`). */
const CC_ORDER = ['BY', 'NC', 'ND', 'SA'];

/** Lower-case, accents off, every run of punctuation or space as one space. */
export function normalizeRights(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function ccId(elements: string[], version: string, port?: string): string | null {
  const set = new Set(elements);
  if (!set.has('BY') || set.size !== elements.length) return null;
  if (set.has('SA') && set.has('ND')) return null;
  const base = `CC-${CC_ORDER.filter((e) => set.has(e)).join('-')}-${version}`;
  if (!port) return base;
  // A ported licence is its own legal text: keep the port, as a LicenseRef when SPDX lacks it.
  const ported = `${base}-${port.toUpperCase()}`;
  const check = checkLicenseId(ported);
  return check.ok ? check.id : `LicenseRef-${ported}`;
}

function fromUrl(raw: string): { id: string } | null {
  const url = raw.trim().replace(/^<|>$/g, '');
  if (!/^(https?:)?\/\//i.test(url) && !/^(www\.)?[a-z0-9.-]+\.[a-z]{2,}\//i.test(url)) return null;
  const u = url.replace(/^(https?:)?\/\//i, '').replace(/^www\./i, '').toLowerCase();
  let m = /^creativecommons\.org\/licenses\/([a-z-]+)\/(\d\.\d)(?:\/([a-z]{2,3}))?(?:\/|\/(?:deed|legalcode)[^/]*)?\/?$/.exec(u);
  if (m) {
    const elements = m[1]!.split('-').map((e) => CC_ELEMENTS[e]);
    if (elements.some((e) => !e)) return null;
    const port = m[3] && m[3] !== 'deed' && m[3] !== 'legalcode' ? m[3] : undefined;
    const id = ccId(elements as string[], m[2]!, port);
    return id ? { id } : null;
  }
  m = /^creativecommons\.org\/publicdomain\/(zero|mark)\/1\.0(?:\/.*)?$/.exec(u);
  if (m) return { id: m[1] === 'zero' ? 'CC0-1.0' : 'CC-PDM-1.0' };
  m = /^spdx\.org\/licenses\/([a-z0-9.+-]+?)(?:\.html|\.json)?\/?$/.exec(u);
  if (m) {
    const check = checkLicenseId(m[1]!);
    return check.ok ? { id: check.id } : null;
  }
  if (/^opendatacommons\.org\/licenses\/odbl(\/1[.-]0)?(\/.*)?$/.test(u)) return { id: 'ODbL-1.0' };
  if (/^opendatacommons\.org\/licenses\/pddl(\/1[.-]0)?(\/.*)?$/.test(u)) return { id: 'PDDL-1.0' };
  if (/^opendatacommons\.org\/licenses\/by(\/1[.-]0)?(\/.*)?$/.test(u)) return { id: 'ODC-By-1.0' };
  if (/^(etalab\.gouv\.fr|data\.gouv\.fr)\/.*licence[-_]ouverte[-_](open[-_]licence[-_])?v?2[.-]0/.test(u)) return { id: 'etalab-2.0' };
  if (/^etalab\.gouv\.fr\/.*etalab-licence-ouverte-v2\.0\.pdf$/.test(u)) return { id: 'etalab-2.0' };
  if (/^etalab\.gouv\.fr\/wp-content\/uploads\/2014\/05\/licence_ouverte\.pdf$/.test(u)) return { id: LICENCE_OUVERTE_1 };
  return null;
}

const CC_NAME_WORDS: [RegExp, string][] = [
  [/\b(attribution|paternite)\b/g, ' by '],
  [/\b(sharealike|share alike|partage dans les memes conditions|partage a l identique)\b/g, ' sa '],
  [/\b(noncommercial|non commercial|pas d utilisation commerciale)\b/g, ' nc '],
  [/\b(noderivatives|noderivs|no derivatives|no derivs|pas de modification)\b/g, ' nd '],
  [/\b(international|generic|unported|licence|license|internationale|generique|deed)\b/g, ' '],
];

function fromName(norm: string): { id: string } | null {
  if (/^(domaine public|public domain|dans le domaine public|oeuvre du domaine public)$/.test(norm)) return { id: PUBLIC_DOMAIN };
  if (/^(cc0|cc zero|creative commons zero|cc0 1 0|creative commons zero 1 0|cc0 universal|cc0 1 0 universal)( public domain dedication)?$/.test(norm))
    return { id: 'CC0-1.0' };
  if (/^(odbl|open database license|open database licence)( odbl)?( 1 0)?( odbl)?$/.test(norm)) return { id: 'ODbL-1.0' };
  let m = /^(?:licence ouverte|open licence|licence ouverte open licence|etalab|licence etalab)(?: open licence)?(?: etalab)?(?: version| v)? ?([12])(?: 0)?$/.exec(norm);
  if (m) return { id: m[1] === '2' ? 'etalab-2.0' : LICENCE_OUVERTE_1 };
  let cc = ` ${norm} `;
  for (const [re, to] of CC_NAME_WORDS) cc = cc.replace(re, to);
  m = /^(?:cc|creative commons)\b(.*?)\b(\d) (\d)\b(?: ([a-z]{2}))?$/.exec(cc.replace(/\s+/g, ' ').trim());
  if (m) {
    const tokens = m[1]!.split(' ').filter(Boolean);
    const elements = tokens.map((t) => CC_ELEMENTS[t]);
    if (tokens.length === 0 || elements.some((e) => !e)) return null;
    const id = ccId(elements as string[], `${m[2]}.${m[3]}`, m[4]);
    return id ? { id } : null;
  }
  return null;
}

/**
 * Maps one raw rights statement to a licence id. `where` says where the statement was read
 * (`dc:rights`, `udata license`, a URL): it becomes the start of the evidence string.
 */
export function mapLicense(raw: string, where = 'rights'): LicenseMatch {
  const value = raw.trim();
  const found = (id: string, via: 'spdx' | 'udata' | 'url' | 'name', note?: string): LicenseMatch => ({
    ok: true,
    id,
    via,
    raw: value,
    evidence: `${where}: "${value}"${note ? ` (${note})` : ''}`,
    ...(note ? { note } : {}),
  });
  if (value === '') return { ok: false, reason: 'unknown', raw, why: 'empty rights statement' };
  const udata = UDATA[value.toLowerCase()];
  if (udata) {
    if (!udata.id) return { ok: false, reason: 'refused', raw: value, why: `udata "${value}" names no licence text` };
    return found(udata.id, 'udata', udata.note);
  }
  if (/^other-/i.test(value)) return { ok: false, reason: 'refused', raw: value, why: `udata "${value}" names no licence text` };
  const url = fromUrl(value);
  if (url) return found(url.id, 'url');
  if (/^[A-Za-z0-9][A-Za-z0-9.+-]*$/.test(value) || /^LicenseRef-/.test(value)) {
    const check = checkLicenseId(value);
    if (check.ok) return found(check.id, 'spdx');
  }
  const name = fromName(normalizeRights(value));
  if (name) return found(name.id, 'name');
  return { ok: false, reason: 'unknown', raw: value, why: 'not in the licence table (src/licenses/table.ts)' };
}

/**
 * Maps the first of several rights statements that names a licence (OAI `dc:rights` is repeated,
 * and often mixes an access statement such as `info:eu-repo/semantics/openAccess` with a licence).
 * With none, the result lists every raw value for the reject's detail.
 */
export function mapFirstLicense(raws: string[], where = 'rights'): LicenseMatch | { ok: false; reason: 'unknown' | 'refused' | 'missing'; raw: string[]; why: string } {
  const misses: LicenseMatch[] = [];
  for (const raw of raws) {
    const m = mapLicense(raw, where);
    if (m.ok) return m;
    misses.push(m);
  }
  if (raws.length === 0) return { ok: false, reason: 'missing', raw: [], why: 'no rights statement' };
  const refused = misses.find((m) => !m.ok && m.reason === 'refused');
  return { ok: false, reason: refused ? 'refused' : 'unknown', raw: raws, why: misses.map((m) => (m.ok ? '' : m.why)).join('; ') };
}
