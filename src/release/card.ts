import { stringify } from 'yaml';
import type { ReleaseManifest } from '../schema/manifest.js';

/** The Hub's licence identifiers where they differ from SPDX lower-cased. */
const HF_LICENSE: Record<string, string> = { 'ODbL-1.0': 'odbl', 'ODC-By-1.0': 'odc-by', 'PDDL-1.0': 'pddl' };

export function hfLicense(spdx: string): string {
  if (spdx.startsWith('LicenseRef-')) return 'other';
  return HF_LICENSE[spdx] ?? spdx.toLowerCase();
}

/** The Hub's `size_categories` bucket for a number of records. */
export function sizeCategory(n: number): string {
  const buckets: [number, string][] = [
    [1e3, 'n<1K'], [1e4, '1K<n<10K'], [1e5, '10K<n<100K'], [1e6, '100K<n<1M'], [1e7, '1M<n<10M'],
    [1e8, '10M<n<100M'], [1e9, '100M<n<1B'], [1e10, '1B<n<10B'], [1e11, '10B<n<100B'], [1e12, '100B<n<1T'],
  ];
  return buckets.find(([limit]) => n < limit)?.[1] ?? 'n>1T';
}

/** The glob the card gives for a config's split, matching the shard names the writer gives. */
export function dataFilesGlob(config: string, split: string): string {
  return `data/${config}/${split}-*`;
}

export function splitOf(m: ReleaseManifest): string {
  return /\/([a-z]+)-\d{5}-of-\d{5}\.parquet$/.exec(m.shards[0]?.path ?? '')?.[1] ?? 'train';
}

/** README.md for the Hugging Face Hub: YAML front matter the Hub reads, then a body people read. */
export function renderCard(m: ReleaseManifest): string {
  const licenses = Object.keys(m.counts_by_license);
  const single = licenses.length === 1 && hfLicense(licenses[0]!) !== 'other';
  const front: Record<string, unknown> = {
    pretty_name: m.pretty_name,
    ...(single
      ? { license: hfLicense(licenses[0]!) }
      : { license: 'other', license_name: m.license.expression, license_link: 'ATTRIBUTION.md' }),
    language: Object.keys(m.counts_by_lang).filter((l) => l !== 'und'),
    size_categories: [sizeCategory(m.totals.documents)],
    task_categories: ['text-generation'],
    tags: ['villers', 'french', `version:${m.version}`],
    configs: [{ config_name: m.config, data_files: [{ split: splitOf(m), path: dataFilesGlob(m.config, splitOf(m)) }], default: true }],
  };
  const body = [
    `# ${m.pretty_name}`,
    '',
    m.description ?? '',
    '',
    `Version **${m.version}**, released ${m.created}: ${m.totals.documents} documents, ${m.totals.text_chars} characters of text in ${m.shards.length} Parquet shards (${m.compression}).`,
    m.changes.bump === 'initial' ? 'First version.' : `A ${m.changes.bump} version after ${m.changes.previous_version}: ${m.changes.reason} (see CHANGELOG.md).`,
    '',
    '## Sources',
    '',
    '| source | documents | declared licence | evidence |',
    '|---|---:|---|---|',
    ...m.sources.map((s) => `| ${s.homepage ? `[${s.name}](${s.homepage})` : s.name} (\`${s.id}\`) | ${m.counts_by_source[s.id] ?? 0} | ${s.license ?? 'per document'} | ${cell(s.license_evidence ?? '')} |`),
    '',
    '## Licences',
    '',
    `The dataset is \`${m.license.expression}\`: every row keeps its own licence in the \`license\` column and where it was found in \`license_evidence\`.`,
    ...(m.license.share_alike ? [`The compilation as a whole is offered under ${m.license.share_alike}.`] : []),
    ...m.license.notes.map((n) => `- ${n}`),
    '',
    '| licence | documents |',
    '|---|---:|',
    ...Object.entries(m.counts_by_license).map(([l, n]) => `| ${l} | ${n} |`),
    '',
    'Credits the licences require are in ATTRIBUTION.md.',
    '',
    '## Filters applied',
    '',
    ...m.filters.map((f) => `- \`${String(f.stage)}\`${Object.keys(f).length > 1 ? `: ${cell(JSON.stringify(Object.fromEntries(Object.entries(f).filter(([k]) => k !== 'stage'))))}` : ''}`),
    '',
    ...signalSection(m),
    '## Statistics',
    '',
    '| stage | in | out | rejected |',
    '|---|---:|---:|---:|',
    ...Object.entries(m.stages).map(([name, s]) => `| ${name} | ${s.in} | ${s.out} | ${Object.values(s.rejected).reduce((a, b) => a + b, 0)} |`),
    '',
    '| language | documents |',
    '|---|---:|',
    ...Object.entries(m.counts_by_lang).map(([l, n]) => `| ${l} | ${n} |`),
    '',
    '## Loading',
    '',
    '```python',
    'from datasets import load_dataset',
    `ds = load_dataset("parquet", data_files="${dataFilesGlob(m.config, splitOf(m))}.parquet")`,
    '```',
    '',
    '```sql',
    `SELECT license, count(*) FROM read_parquet('${dataFilesGlob(m.config, splitOf(m))}.parquet') GROUP BY ALL;`,
    '```',
    '',
  ];
  return `---\n${stringify(front, { lineWidth: 0 })}---\n\n${body.join('\n')}`;
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The signal columns, so that a reader can choose stricter thresholds with a query instead of a re-run. */
function signalSection(m: ReleaseManifest): string[] {
  const columns = m.signal_columns ?? [];
  if (columns.length === 0) return [];
  const example = columns.find((c) => c.type === 'double');
  return [
    '### Signals',
    '',
    'What each filter measured on the documents it kept is a column of the shards, null where a document was not measured:',
    ...(example ? ['', `    SELECT * FROM 'data/${m.config}/*.parquet' WHERE ${example.name} > …`] : []),
    '',
    '| column | stage | signal | type |',
    '|---|---|---|---|',
    ...columns.map((c) => `| \`${c.name}\` | ${c.stage} | ${c.signal} | ${c.type} |`),
    '',
  ];
}
