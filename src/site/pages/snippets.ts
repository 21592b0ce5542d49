import type { ReleaseManifest } from '../../schema/manifest.js';
import { isAbsoluteUrl } from '../links.js';

/**
 * How to load a release with the usual tools. `base` is the version folder: an absolute URL when the
 * data's address is known, else the path relative to the folder that holds catalog.json.
 */
export function loadSnippets(manifest: ReleaseManifest, base: string, catalogUrl: string): { tool: string; language: string; code: string }[] {
  const files = manifest.shards.map((s) => base + s.path);
  const quoted = files.map((f) => `'${f}'`);
  const remote = isAbsoluteUrl(base);
  return [
    {
      tool: 'Hugging Face datasets',
      language: 'python',
      code: [
        'import json, urllib.request',
        'from datasets import load_dataset',
        '',
        `base = "${base}"`,
        remote ? 'manifest = json.load(urllib.request.urlopen(base + "manifest.json"))' : 'manifest = json.load(open(base + "manifest.json"))',
        'files = [base + s["path"] for s in manifest["shards"]]',
        `ds = load_dataset("parquet", data_files={"${splitOf(manifest)}": files}, split="${splitOf(manifest)}")`,
      ].join('\n'),
    },
    {
      tool: 'DuckDB',
      language: 'sql',
      code: [
        ...(remote ? ['INSTALL httpfs; LOAD httpfs;'] : []),
        'SELECT source, license, count(*) AS documents',
        `FROM read_parquet([${quoted.join(',\n                    ')}])`,
        'GROUP BY ALL ORDER BY documents DESC;',
      ].join('\n'),
    },
    {
      tool: 'pandas',
      language: 'python',
      code: [
        'import json, urllib.request',
        'import pandas as pd',
        '',
        `base = "${base}"`,
        remote ? 'manifest = json.load(urllib.request.urlopen(base + "manifest.json"))' : 'manifest = json.load(open(base + "manifest.json"))',
        'df = pd.concat(pd.read_parquet(base + s["path"]) for s in manifest["shards"])',
      ].join('\n'),
    },
    {
      tool: 'villers pull',
      language: 'shell',
      code: `villers pull ${catalogUrl} ${manifest.dataset}@${manifest.version} --out ./${manifest.dataset}-${manifest.version}\n# checks every file's sha256 against the manifest`,
    },
  ];
}

function splitOf(manifest: ReleaseManifest): string {
  return /\/([a-z]+)-\d{5}-of-\d{5}\.parquet$/.exec(manifest.shards[0]?.path ?? '')?.[1] ?? 'train';
}

export function bibtex(manifest: ReleaseManifest, url: string): string {
  const key = `${manifest.dataset}_${manifest.version.replace(/\./g, '_')}`.replace(/[^A-Za-z0-9_]/g, '_');
  return [
    `@misc{${key},`,
    `  title     = {{${escapeBib(manifest.pretty_name)}}${manifest.description ? `: ${escapeBib(manifest.description)}` : ''}},`,
    `  author    = {{${escapeBib(manifest.publisher)}}},`,
    `  year      = {${manifest.created.slice(0, 4)}},`,
    `  version   = {${manifest.version}},`,
    `  url       = {${manifest.homepage ?? url}},`,
    `  note      = {${manifest.totals.documents} documents; licences: ${escapeBib(manifest.license.expression)}}`,
    '}',
  ].join('\n');
}

function escapeBib(s: string): string {
  return s.replace(/[{}\\]/g, '');
}
