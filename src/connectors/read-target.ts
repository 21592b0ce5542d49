import { getConnector } from './index.js';
import type { Connector } from './connector.js';

/** The option of each connector that `villers read <connector> <file-or-url>` fills. */
const TARGET_OPTION: Record<string, string> = {
  warc: 'input',
  wet: 'input',
  mediawiki: 'input',
  gutenberg: 'input',
  alto: 'input',
  parquet: 'input',
  jsonl: 'path',
  files: 'path',
  'oai-pmh': 'base_url',
  datagouv: 'api_base',
  dila: 'path',
  assemblee: 'path',
  // Feeds and sitemaps are fetched from a URL or read from a file.
  feed: 'url|path',
  sitemap: 'url|path',
};

/** `fields.text=content` → `{ fields: { text: 'content' } }`; values are JSON when they parse as JSON. */
export function parseOptionAssignments(assignments: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq <= 0) throw new Error(`--option ${a}: expected key=value`);
    const path = a.slice(0, eq).split('.');
    const raw = a.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string
    }
    let at = out;
    for (const k of path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    at[path[path.length - 1]!] = value;
  }
  return out;
}

/** The connector and its options for reading one file or URL from the command line. */
export function connectorForTarget(name: string, target: string, extra: Record<string, unknown>): { connector: Connector; options: Record<string, unknown> } {
  const connector = getConnector(name);
  const key = TARGET_OPTION[name];
  if (!key) throw new Error(`connector "${name}" does not read a single file or URL; readable: ${Object.keys(TARGET_OPTION).join(', ')}`);
  const chosen = key === 'url|path' ? (/^https?:\/\//i.test(target) ? 'url' : 'path') : key;
  return { connector, options: { ...extra, [chosen]: target } };
}
