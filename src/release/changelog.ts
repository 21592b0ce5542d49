import type { ReleaseManifest } from '../schema/manifest.js';
import { describeTakedown } from './versions.js';

/** CHANGELOG.md of one version: the bump and why, documents added, removed and changed by source, takedowns. */
export function renderChangelog(m: ReleaseManifest): string {
  const c = m.changes;
  const lines = [`# ${m.dataset} ${m.version}`, '', `Released ${m.created}.`, ''];
  if (c.bump === 'initial') lines.push('First version of the dataset.', '');
  else lines.push(`**${c.bump}** version after ${c.previous_version}: ${c.reason}.`, '');
  lines.push(`- Documents: ${m.totals.documents} (${c.added} added, ${c.removed} removed, ${c.changed} changed, ${c.unchanged} unchanged)`, '');
  const sources = Object.entries(c.by_source);
  if (sources.length) {
    lines.push('| source | added | removed | changed |', '|---|---:|---:|---:|');
    for (const [s, d] of sources) lines.push(`| ${s} | ${d.added} | ${d.removed} | ${d.changed} |`);
    lines.push('');
  }
  if (c.takedowns.length) {
    lines.push('## Takedowns in force', '');
    for (const t of c.takedowns) {
      lines.push(`- ${describeTakedown(t.entry)}, requested ${t.entry.date}${t.removed ? `: ${t.removed} documents of ${c.previous_version} removed in this version` : ''}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
