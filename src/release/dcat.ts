import type { ReleaseManifest } from '../schema/manifest.js';
import { LICENCE_OUVERTE_1 } from '../licenses/table.js';
import { spdxUrl } from './croissant.js';

/** EU Publications Office language authority codes for the languages villers meets most. */
const EU_LANGUAGE: Record<string, string> = { fr: 'FRA', en: 'ENG', de: 'DEU', es: 'SPA', it: 'ITA', br: 'BRE', oc: 'OCI', co: 'COS', eu: 'EUS', ca: 'CAT', nl: 'NLD', pt: 'POR' };

/** udata (data.gouv.fr) licence slugs for the SPDX ids it knows. */
const UDATA_LICENSE: Record<string, string> = {
  'etalab-2.0': 'lov2',
  [LICENCE_OUVERTE_1]: 'fr-lo',
  'ODbL-1.0': 'odc-odbl',
  'PDDL-1.0': 'odc-pddl',
  'ODC-By-1.0': 'odc-by',
  'CC0-1.0': 'cc-zero',
  'CC-BY-4.0': 'cc-by',
  'CC-BY-SA-4.0': 'cc-by-sa',
};

/**
 * The one udata licence a dataset can carry: its only licence when it has one; the share-alike
 * licence that governs the compilation when there is one; otherwise udata's "other, attribution".
 */
export function udataLicense(m: ReleaseManifest): string {
  const ids = Object.keys(m.counts_by_license);
  if (ids.length === 1) return UDATA_LICENSE[ids[0]!] ?? 'other-at';
  if (m.license.share_alike) return UDATA_LICENSE[m.license.share_alike] ?? 'other-at';
  return 'other-at';
}

const PARQUET_MEDIA = 'https://www.iana.org/assignments/media-types/application/vnd.apache.parquet';

/** dcat.json: DCAT-AP as JSON-LD, a Distribution per shard with SPDX sha256 checksums. */
export function renderDcat(m: ReleaseManifest): Record<string, unknown> {
  return {
    '@context': {
      dcat: 'http://www.w3.org/ns/dcat#',
      dct: 'http://purl.org/dc/terms/',
      spdx: 'http://spdx.org/rdf/terms#',
      owl: 'http://www.w3.org/2002/07/owl#',
      xsd: 'http://www.w3.org/2001/XMLSchema#',
      foaf: 'http://xmlns.com/foaf/0.1/',
    },
    '@type': 'dcat:Dataset',
    'dct:identifier': `${m.dataset}@${m.version}`,
    'dct:title': m.pretty_name,
    'dct:description': m.description ?? m.pretty_name,
    'dct:issued': { '@value': m.created, '@type': 'xsd:dateTime' },
    'owl:versionInfo': m.version,
    'dct:publisher': { '@type': 'foaf:Agent', 'foaf:name': m.publisher },
    'dct:language': Object.keys(m.counts_by_lang)
      .filter((l) => EU_LANGUAGE[l])
      .map((l) => ({ '@id': `http://publications.europa.eu/resource/authority/language/${EU_LANGUAGE[l]}` })),
    'dct:license': Object.keys(m.counts_by_license).map((id) => ({ '@id': spdxUrl(id) })),
    'dcat:keyword': ['français', 'corpus', 'texte'],
    'dcat:distribution': m.shards.map((s) => ({
      '@type': 'dcat:Distribution',
      'dct:title': s.path,
      'dcat:accessURL': { '@id': s.path },
      'dcat:downloadURL': { '@id': s.path },
      'dcat:byteSize': { '@value': String(s.bytes), '@type': 'xsd:nonNegativeInteger' },
      'dcat:mediaType': { '@id': PARQUET_MEDIA },
      'dct:format': { '@id': 'http://publications.europa.eu/resource/authority/file-type/PARQUET' },
      'dct:license': (s.licenses ?? Object.keys(m.counts_by_license)).map((id) => ({ '@id': spdxUrl(id) })),
      'spdx:checksum': {
        '@type': 'spdx:Checksum',
        'spdx:algorithm': { '@id': 'spdx:checksumAlgorithm_sha256' },
        'spdx:checksumValue': s.sha256,
      },
    })),
  };
}

/** udata.json: the payload data.gouv.fr's API takes for a dataset and its resources. */
export function renderUdata(m: ReleaseManifest): Record<string, unknown> {
  return {
    title: m.pretty_name,
    description: `${m.description ?? ''}\n\nLicences: ${m.license.expression}. Version ${m.version}.`.trim(),
    license: udataLicense(m),
    frequency: 'irregular',
    tags: ['francais', 'corpus', 'texte', m.dataset],
    extras: { 'villers:version': m.version, 'villers:license_expression': m.license.expression },
    resources: m.shards.map((s) => ({
      title: s.path.split('/').at(-1),
      url: s.path,
      type: 'main',
      format: 'parquet',
      mime: 'application/vnd.apache.parquet',
      filesize: s.bytes,
      checksum: { type: 'sha256', value: s.sha256 },
    })),
  };
}
