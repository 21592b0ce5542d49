import type { z } from 'zod';
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

/** A connector as the registry holds it, its options type erased: callers parse options with `connector.options` before `read`. */
function entry<Options extends z.ZodType>(connector: Connector<Options>): Connector {
  return connector as unknown as Connector;
}

/** Every connector, by the name `sources/*.yaml` and `villers read` use. */
export const connectors: Record<string, Connector> = {
  files: entry(filesConnector),
  'oai-pmh': entry(oaiPmhConnector),
  datagouv: entry(datagouvConnector),
  assemblee: entry(assembleeConnector),
  feed: entry(feedConnector),
  sitemap: entry(sitemapConnector),
  dila: entry(dilaConnector),
  warc: entry(warcConnector),
  wet: entry(wetConnector),
  mediawiki: entry(mediawikiConnector),
  gutenberg: entry(gutenbergConnector),
  alto: entry(altoConnector),
  parquet: entry(parquetConnector),
  jsonl: entry(jsonlConnector),
  crawl: entry(crawlConnector),
};

export function getConnector(name: string): Connector {
  const c = connectors[name];
  if (!c) throw new Error(`unknown connector "${name}"; known: ${Object.keys(connectors).join(', ')}`);
  return c;
}
