import type { AttributionEntry, ReleaseManifest } from '../schema/manifest.js';
import { licenseTerms } from './policy.js';

/**
 * Collects, while a release is written, who must be credited: per source, the licences its documents
 * carry and the distinct `attribution` values of documents whose licence requires credit.
 */
export class AttributionCollector {
  private readonly bySource = new Map<string, { licenses: Set<string>; authors: Set<string> }>();

  add(doc: { source: string; license: string; attribution: string | null }): void {
    if (!licenseTerms(doc.license).attribution) return;
    let entry = this.bySource.get(doc.source);
    if (!entry) this.bySource.set(doc.source, (entry = { licenses: new Set(), authors: new Set() }));
    entry.licenses.add(doc.license);
    if (doc.attribution) entry.authors.add(doc.attribution);
  }

  entries(): AttributionEntry[] {
    return [...this.bySource]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([source, e]) => ({ source, licenses: [...e.licenses].sort(), authors: [...e.authors].sort() }));
  }
}

/** ATTRIBUTION.md: every source, and every author the licences require to be named. */
export function renderAttribution(m: ReleaseManifest): string {
  const lines = [
    `# Attribution — ${m.dataset} ${m.version}`,
    '',
    `This dataset is distributed under \`${m.license.expression}\`: each document keeps the licence of its source,`,
    'recorded in its `license` column with the evidence in `license_evidence`. The licences below require',
    'the following credit when the dataset, or a work made from it, is shared.',
    '',
  ];
  for (const source of m.sources) {
    const credit = m.attribution.find((a) => a.source === source.id);
    const documents = m.counts_by_source[source.id] ?? 0;
    if (documents === 0) continue;
    lines.push(`## ${source.name} (\`${source.id}\`)`, '');
    if (source.homepage) lines.push(`- Source: <${source.homepage}>`);
    lines.push(`- Documents: ${documents}`);
    if (source.license) lines.push(`- Licence declared by the source: \`${source.license}\``);
    if (source.license_evidence) lines.push(`- Evidence: ${source.license_evidence}`);
    if (!credit) {
      lines.push('- No attribution required by the licences of these documents.', '');
      continue;
    }
    lines.push(`- Licences requiring attribution: ${credit.licenses.map((l) => `\`${l}\``).join(', ')}`);
    if (credit.authors.length) {
      lines.push('- Authors and rights holders:', ...credit.authors.map((a) => `  - ${a}`));
    } else lines.push(`- Credit: ${source.name}${source.homepage ? ` (${source.homepage})` : ''}`);
    lines.push('');
  }
  return lines.join('\n');
}
