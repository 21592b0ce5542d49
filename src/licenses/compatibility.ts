import { licenseTerms } from './policy.js';

export interface CompatibilityResult {
  ok: boolean;
  /** SPDX expression of everything the dataset holds, most documents first. */
  expression: string;
  /** The share-alike licence the compilation as a whole must be offered under, when there is one. */
  shareAlike: string | null;
  problems: string[];
  notes: string[];
}

/**
 * Whether documents under these licences can be published together as one dataset, and the dataset's
 * licence expression. Each document keeps its own licence; what can clash is the compilation itself,
 * which a share-alike licence with database terms (ODbL, CC BY-SA 4.0's sui generis clause) claims:
 * two different copyleft families cannot both govern it. Versions of CC BY-SA from 2.0 on allow
 * adaptations under later versions, so they meet at the highest one present.
 */
export function checkCompatibility(countsByLicense: Record<string, number>): CompatibilityResult {
  const ids = Object.entries(countsByLicense)
    .filter(([, n]) => n > 0)
    .sort(([a, na], [b, nb]) => nb - na || (a < b ? -1 : a > b ? 1 : 0))
    .map(([id]) => id);
  const problems: string[] = [];
  const notes: string[] = [];
  const families = new Map<string, string[]>();
  for (const id of ids) {
    const t = licenseTerms(id);
    if (!t.known) notes.push(`${id}: terms unknown to villers; published because the recipe allow-list names it`);
    if (t.shareAlike) families.set(t.shareAlike, [...(families.get(t.shareAlike) ?? []), id]);
  }
  let shareAlike: string | null = null;
  if (families.size > 1) {
    problems.push(
      `share-alike licences of different families cannot govern one dataset: ${[...families.values()].map((v) => v.join(', ')).join(' vs ')}; publish them as separate datasets`,
    );
  } else if (families.size === 1) {
    const [family, members] = [...families][0]!;
    const sorted = [...members].sort((a, b) => versionOf(a) - versionOf(b));
    shareAlike = sorted.at(-1)!;
    if (family === 'CC-BY-SA' && sorted.length > 1) {
      if (sorted.some((id) => versionOf(id) < 2)) problems.push(`CC BY-SA 1.0 has no later-version clause, so it cannot meet ${shareAlike}`);
      else notes.push(`${sorted.slice(0, -1).join(', ')} allow adaptations under later versions: the compilation is offered under ${shareAlike}`);
    }
    if (family === 'ODbL') notes.push('ODbL-1.0 governs the database as a whole; each document keeps its own licence (ODbL separates database and contents)');
  }
  return { ok: problems.length === 0, expression: ids.join(' AND '), shareAlike, problems, notes };
}

function versionOf(id: string): number {
  const m = /-(\d\.\d)(?:-[A-Z]+)?$/.exec(id);
  return m ? Number(m[1]) : 0;
}
