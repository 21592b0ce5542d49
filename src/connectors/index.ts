import type { Connector } from './connector.js';
import { filesConnector } from './files.js';
import { oaiPmhConnector } from './oai-pmh/index.js';
import { datagouvConnector } from './datagouv/index.js';
import { assembleeConnector } from './assemblee/index.js';
import { feedConnector } from './feed/index.js';
import { sitemapConnector } from './sitemap/index.js';
import { dilaConnector } from './dila/index.js';
import { warcConnector, wetConnector } from './warc/index.js';
import { mediawikiConnector } from './mediawiki/index.js';
import { gutenbergConnector } from './gutenberg/index.js';
import { altoConnector } from './alto/index.js';
import { parquetConnector } from './parquet/index.js';
import { jsonlConnector } from './jsonl.js';
import { crawlConnector } from '../crawl/connector.js';

/** Every connector, by the name `sources/*.yaml` and `villers read` use. */
export const connectors: Record<string, Connector> = {
  files: filesConnector as unknown as Connector,
  'oai-pmh': oaiPmhConnector as unknown as Connector,
  datagouv: datagouvConnector as unknown as Connector,
  assemblee: assembleeConnector as unknown as Connector,
  feed: feedConnector as unknown as Connector,
  sitemap: sitemapConnector as unknown as Connector,
  dila: dilaConnector as unknown as Connector,
  warc: warcConnector as unknown as Connector,
  wet: wetConnector as unknown as Connector,
  mediawiki: mediawikiConnector as unknown as Connector,
  gutenberg: gutenbergConnector as unknown as Connector,
  alto: altoConnector as unknown as Connector,
  parquet: parquetConnector as unknown as Connector,
  jsonl: jsonlConnector as unknown as Connector,
  crawl: crawlConnector as unknown as Connector,
};

export function getConnector(name: string): Connector {
  const c = connectors[name];
  if (!c) throw new Error(`unknown connector "${name}"; known: ${Object.keys(connectors).join(', ')}`);
  return c;
}
