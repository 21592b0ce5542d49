import type { ReleaseManifest } from '../schema/manifest.js';
import { dataFilesGlob, splitOf } from './card.js';

export const CROISSANT_CONFORMS_TO = 'http://mlcommons.org/croissant/1.1';
export const PARQUET_MIME = 'application/x-parquet';

/** The JSON-LD context of the Croissant 1.1 specification, Appendix 1. */
const CONTEXT = {
  '@language': 'en',
  '@vocab': 'http://schema.org/',
  sc: 'http://schema.org/',
  cr: 'http://mlcommons.org/croissant/',
  rai: 'http://mlcommons.org/croissant/RAI/',
  dct: 'http://purl.org/dc/terms/',
  annotation: 'cr:annotation',
  arrayShape: 'cr:arrayShape',
  citeAs: 'cr:citeAs',
  column: 'cr:column',
  conformsTo: 'dct:conformsTo',
  containedIn: 'cr:containedIn',
  data: { '@id': 'cr:data', '@type': '@json' },
  dataType: { '@id': 'cr:dataType', '@type': '@vocab' },
  equivalentProperty: 'cr:equivalentProperty',
  examples: { '@id': 'cr:examples', '@type': '@json' },
  excludes: 'cr:excludes',
  extract: 'cr:extract',
  field: 'cr:field',
  fileProperty: 'cr:fileProperty',
  fileObject: 'cr:fileObject',
  fileSet: 'cr:fileSet',
  format: 'cr:format',
  includes: 'cr:includes',
  isArray: 'cr:isArray',
  isLiveDataset: 'cr:isLiveDataset',
  jsonPath: 'cr:jsonPath',
  key: 'cr:key',
  md5: 'cr:md5',
  parentField: 'cr:parentField',
  recordSet: 'cr:recordSet',
  references: 'cr:references',
  regex: 'cr:regex',
  readLines: 'cr:readLines',
  sdVersion: 'cr:sdVersion',
  separator: 'cr:separator',
  source: 'cr:source',
  subField: 'cr:subField',
  transform: 'cr:transform',
  unArchive: 'cr:unArchive',
  value: 'cr:value',
};

/** Croissant data types of the shard columns, in the Document schema's order. */
export const COLUMN_TYPES: Record<string, { dataType: string; description: string }> = {
  id: { dataType: 'sc:Text', description: 'stable id: <source>/<native id>' },
  text: { dataType: 'sc:Text', description: 'the cleaned text' },
  source: { dataType: 'sc:Text', description: 'id of the source the document came from' },
  url: { dataType: 'sc:URL', description: 'where the document was found' },
  title: { dataType: 'sc:Text', description: 'title, when the source gives one' },
  lang: { dataType: 'sc:Text', description: 'ISO 639 language code (fastText lid.176)' },
  lang_score: { dataType: 'sc:Float', description: 'language identification probability' },
  license: { dataType: 'sc:Text', description: 'SPDX licence id of the document' },
  license_evidence: { dataType: 'sc:Text', description: 'where the licence was found' },
  attribution: { dataType: 'sc:Text', description: 'who must be credited' },
  date_published: { dataType: 'sc:Text', description: 'publication date as precise as the source tells' },
  date_retrieved: { dataType: 'sc:DateTime', description: 'when the document was retrieved (UTC)' },
  content_sha256: { dataType: 'sc:Text', description: 'sha256 of the text in UTF-8' },
  minhash_cluster_size: { dataType: 'sc:Integer', description: 'size of the near-duplicate cluster the document was kept from' },
  metadata: { dataType: 'sc:Text', description: 'source-specific extras, JSON' },
};

export function spdxUrl(id: string): string {
  return id.startsWith('LicenseRef-') ? `ATTRIBUTION.md#${id}` : `https://spdx.org/licenses/${id}.html`;
}

const SIGNAL_DATA_TYPES = { double: 'sc:Float', boolean: 'sc:Boolean', string: 'sc:Text' } as const;

/**
 * croissant.json: the release as Croissant 1.1 JSON-LD, one FileObject per shard and a RecordSet of
 * the columns (`columns`, then the manifest's signal columns).
 */
export function renderCroissant(m: ReleaseManifest, columns: string[]): Record<string, unknown> {
  const recordSet = m.config;
  const fileSet = `${m.config}-parquet-files`;
  const signals = new Map(
    (m.signal_columns ?? []).map((c) => [c.name, { dataType: SIGNAL_DATA_TYPES[c.type], description: `signal "${c.signal}" measured by the ${c.stage} stage (null where not measured)` }]),
  );
  return {
    '@context': CONTEXT,
    '@type': 'sc:Dataset',
    conformsTo: CROISSANT_CONFORMS_TO,
    name: m.dataset,
    alternateName: m.pretty_name,
    description: m.description ?? m.pretty_name,
    license: Object.keys(m.counts_by_license).map(spdxUrl),
    url: m.homepage ?? 'README.md',
    creator: { '@type': 'sc:Organization', name: m.publisher },
    publisher: { '@type': 'sc:Organization', name: m.publisher },
    datePublished: m.created,
    dateCreated: m.created,
    version: m.version,
    inLanguage: Object.keys(m.counts_by_lang).filter((l) => l !== 'und'),
    keywords: ['French', 'text', 'language modelling', 'villers'],
    citeAs: `@misc{${m.dataset.replace(/[^A-Za-z0-9]/g, '_')}_${m.version.replace(/\./g, '_')}, title = {${m.pretty_name}}, author = {${m.publisher}}, year = {${m.created.slice(0, 4)}}, note = {version ${m.version}}}`,
    distribution: [
      ...m.shards.map((s) => ({
        '@type': 'cr:FileObject',
        '@id': s.path,
        name: s.path.split('/').at(-1),
        contentUrl: s.path,
        contentSize: `${s.bytes} B`,
        encodingFormat: PARQUET_MIME,
        sha256: s.sha256,
      })),
      {
        '@type': 'cr:FileSet',
        '@id': fileSet,
        name: fileSet,
        description: `the ${splitOf(m)} split of config ${m.config}`,
        encodingFormat: PARQUET_MIME,
        includes: `${dataFilesGlob(m.config, splitOf(m))}.parquet`,
      },
    ],
    recordSet: [
      {
        '@type': 'cr:RecordSet',
        '@id': recordSet,
        name: recordSet,
        description: `one record per document of ${m.dataset} ${m.version}`,
        key: { '@id': `${recordSet}/id` },
        field: [...columns, ...(m.signal_columns ?? []).map((c) => c.name)].map((c) => ({
          '@type': 'cr:Field',
          '@id': `${recordSet}/${c}`,
          name: c,
          description: signals.get(c)?.description ?? COLUMN_TYPES[c]?.description ?? c,
          dataType: signals.get(c)?.dataType ?? COLUMN_TYPES[c]?.dataType ?? 'sc:Text',
          source: { fileSet: { '@id': fileSet }, extract: { column: c } },
        })),
      },
    ],
  };
}
