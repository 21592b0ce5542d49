import { z } from 'zod';

/**
 * Which copy of a duplicate is kept: the first by these criteria, each breaking the ties of the one
 * before. `license`: most open licence first; `date`: earliest `date_published` first (unknown
 * last); `id`: smallest id. Input order breaks what is left, so the choice is always the same.
 */
export const PriorityOptions = z
  .object({
    order: z.array(z.enum(['license', 'date', 'id'])).min(1).default(['license', 'date', 'id']),
    license_order: z
      .array(z.string().min(1))
      .optional()
      .describe('licence ids from most to least open ("CC-BY-*" matches a prefix); unlisted licences come after, unknown last'),
  })
  .strict();
export type PriorityOptions = z.output<typeof PriorityOptions>;

/** Most open first: public-domain dedications, attribution-only, share-alike, no-derivatives, non-commercial. */
const DEFAULT_LICENSE_TIERS: RegExp[] = [
  /^(CC0-1\.0|PDDL-1\.0|CC-PDDC|Unlicense|0BSD|LicenseRef-(Public-?Domain|Domaine-?Public).*)$/i,
  /^(etalab-2\.0|LicenseRef-(Licence-?Ouverte|Etalab|LO).*|CC-BY-\d.*|ODC-By-1\.0|MIT|Apache-2\.0|BSD-.*|ISC|Zlib)$/i,
  /^(CC-BY-SA-.*|ODbL-1\.0|GFDL-.*|LAL-.*|LicenseRef-Art-?Libre.*|CECILL.*|(A|L)?GPL-.*|MPL-.*|EUPL-.*)$/i,
  /^CC-BY-ND-.*$/i,
  /^CC-BY-NC-(\d|SA).*$/i,
  /^CC-BY-NC-ND-.*$/i,
];

/** Lower is more open. Licences matching no tier rank after all tiers; no licence ranks last. */
export function licenseRank(license: string | null | undefined, order?: string[]): number {
  if (order) {
    if (!license) return order.length + 1;
    const i = order.findIndex((p) => (p.endsWith('*') ? license.toLowerCase().startsWith(p.slice(0, -1).toLowerCase()) : p.toLowerCase() === license.toLowerCase()));
    return i < 0 ? order.length : i;
  }
  if (!license) return DEFAULT_LICENSE_TIERS.length + 1;
  const i = DEFAULT_LICENSE_TIERS.findIndex((re) => re.test(license));
  return i < 0 ? DEFAULT_LICENSE_TIERS.length : i;
}

/** What the rule looks at for one document. `seq` is the input position (a total order). */
export interface PriorityKey {
  license: number;
  date: string | null;
  id: string;
  seq: number;
}

export function priorityKey(doc: { id: string; license?: string | null; date_published?: string | null }, seq: number, options: PriorityOptions): PriorityKey {
  return { license: licenseRank(doc.license, options.license_order), date: doc.date_published ?? null, id: doc.id, seq };
}

/**
 * Negative when `a` is kept before `b`. Dates are compared as ISO text ("1676" < "1676-05-01" <
 * "1677"), which orders the precisions the schema allows.
 */
export function comparePriority(a: PriorityKey, b: PriorityKey, order: PriorityOptions['order']): number {
  for (const criterion of order) {
    if (criterion === 'license') {
      if (a.license !== b.license) return a.license - b.license;
    } else if (criterion === 'date') {
      if (a.date !== b.date) {
        if (a.date === null) return 1;
        if (b.date === null) return -1;
        return a.date < b.date ? -1 : 1;
      }
    } else if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  }
  return a.seq - b.seq;
}
