import { resolve } from 'node:path';
import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import { HttpOptions } from '../io/http.js';
import { DEFAULT_XML_LIMITS, XmlRefusal } from '../io/xml-records.js';
import { loadCheckpoint, saveCheckpoint, type HarvestCheckpoint } from './checkpoint.js';
import { identify, listRecordsPage, listSets, OaiError, type OaiClient } from './protocol.js';
import { recordToOutcome } from './dublin-core.js';

const OaiDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/, 'YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ');

export const OaiPmhOptions = z
  .object({
    base_url: z.url().describe('the repository base URL, e.g. https://api.archives-ouvertes.fr/oai/hal'),
    metadata_prefix: z.literal('oai_dc').default('oai_dc').describe('Dublin Core, which every OAI-PMH repository serves'),
    set: z.string().min(1).optional().describe('setSpec to harvest; checked against ListSets first'),
    from: OaiDate.optional().describe('first datestamp (inclusive); default: where the last completed harvest of this checkpoint started'),
    until: OaiDate.optional().describe('last datestamp (inclusive)'),
    checkpoint: z.string().optional().describe('JSON file (relative to the source YAML) that lets a killed harvest resume and the next run be incremental'),
    identify: z.boolean().default(true).describe('ask Identify first: checks the endpoint, learns its datestamp granularity'),
    max_text_chars: z.number().int().positive().default(10_000_000),
    max_record_chars: z.number().int().positive().default(DEFAULT_XML_LIMITS.maxRecordChars),
    http: HttpOptions,
  })
  .strict();
export type OaiPmhOptions = z.output<typeof OaiPmhOptions>;

/**
 * OAI-PMH harvester (HAL, theses.fr, Persée, OpenEdition...): ListRecords in `oai_dc`, paged by
 * resumption tokens, records streamed as they are parsed; deleted records become takedowns
 * (`oai-pmh.takedown` in the rejects, with the identifier and datestamp).
 */
export const oaiPmhConnector = defineConnector({
  name: 'oai-pmh',
  options: OaiPmhOptions,
  async *read(options, input, ctx) {
    const client: OaiClient = {
      baseUrl: options.base_url,
      http: options.http,
      limits: { ...DEFAULT_XML_LIMITS, maxRecordChars: options.max_record_chars, maxDocumentChars: options.http.max_body_bytes },
      log: ctx.log,
      signal: ctx.signal,
    };
    const harvest = { base_url: options.base_url, metadata_prefix: options.metadata_prefix, set: options.set ?? null, until: options.until ?? null };
    const path = options.checkpoint ? resolve(input.baseDir, options.checkpoint) : null;
    const previous = path ? loadCheckpoint(path) : null;
    if (previous && JSON.stringify(previous.harvest) !== JSON.stringify(harvest)) {
      throw new Error(`checkpoint ${path} belongs to another harvest (${JSON.stringify(previous.harvest)}); use another checkpoint file`);
    }

    let granularity: 'YYYY-MM-DD' | 'YYYY-MM-DDThh:mm:ssZ' = 'YYYY-MM-DDThh:mm:ssZ';
    if (options.identify) {
      const info = await identify(client);
      granularity = info.granularity;
      ctx.log.info(`oai-pmh: ${info.repositoryName || options.base_url}`, { granularity, deletedRecord: info.deletedRecord, earliest: info.earliestDatestamp });
    }
    if (options.set && !previous?.token) {
      const sets = await listSets(client).catch((e: unknown) => {
        if (e instanceof OaiError && e.code === 'noSetHierarchy') throw new Error(`oai-pmh: ${options.base_url} has no sets, but set "${options.set}" was asked for`);
        throw e;
      });
      if (!sets.some((s) => s.setSpec === options.set)) throw new Error(`oai-pmh: set "${options.set}" is not among the ${sets.length} sets of ${options.base_url}`);
    }

    const asGranularity = (d: string | null) => (d && granularity === 'YYYY-MM-DD' ? d.slice(0, 10) : d);
    let state: HarvestCheckpoint;
    if (previous && !previous.done) state = previous;
    else {
      // A new harvest; after a completed one, incremental from where that one started.
      const from = options.from ?? asGranularity(previous?.started_at ?? null);
      state = { version: 1, harvest, from, token: null, page: 1, taken: 0, records: 0, takedowns: 0, started_at: null, done: false };
    }
    const save = () => path && saveCheckpoint(path, state);
    const retrieved = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

    for (;;) {
      const params = state.token
        ? { verb: 'ListRecords', resumptionToken: state.token }
        : { verb: 'ListRecords', metadataPrefix: options.metadata_prefix, set: options.set, from: state.from ?? undefined, until: options.until };
      let index = 0;
      let end: { resumptionToken: string | null; responseDate: string | null } | null = null;
      try {
        for await (const item of listRecordsPage(client, params)) {
          if (item.kind === 'end') {
            end = item;
            break;
          }
          if (index++ < state.taken) continue; // handed out before the interruption
          const outcome = recordToOutcome(item.record, { source: input.source, retrieved, maxTextChars: options.max_text_chars });
          if (outcome.kind === 'doc') yield outcome.doc;
          else if (outcome.kind === 'takedown') {
            ctx.reject(outcome.doc, 'oai-pmh', 'oai-pmh.takedown', outcome.detail);
            ctx.log.event('takedown', { source: input.source.id, id: outcome.doc.id, ...outcome.detail });
            state.takedowns++;
          } else ctx.reject(outcome.doc, 'oai-pmh', outcome.reason, outcome.detail);
          state.records++;
          state.taken = index;
          save();
        }
      } catch (e) {
        if (e instanceof OaiError && e.code === 'badResumptionToken' && state.token) {
          throw new Error(`${e.message}. The server no longer knows the token of checkpoint ${path ?? ''}; delete it and harvest again with "from" (the last run started at ${state.started_at ?? 'unknown'})`);
        }
        if (!(e instanceof XmlRefusal)) throw e;
        // A broken page ends the harvest (its resumption token is lost) without losing what
        // came before; the checkpoint still points at this page, so a rerun retries it.
        ctx.reject(makeDoc({ id: `${input.source.id}/page-${state.page}`, source: input.source.id, text: '', date_retrieved: retrieved, metadata: { params } }), 'oai-pmh', `oai-pmh.${e.reason}`, { page: state.page, params, error: e.message });
        ctx.log.warn(`oai-pmh: page ${state.page} unreadable, harvest stopped; rerun to retry from the checkpoint`, { error: e.message });
        return;
      }
      if (!end) throw new Error('oai-pmh: response ended without its end marker');
      if (state.page === 1 && !state.token) state.started_at = end.responseDate;
      if (end.resumptionToken) {
        state = { ...state, token: end.resumptionToken, page: state.page + 1, taken: 0 };
        save();
        continue;
      }
      state = { ...state, done: true, taken: 0 };
      save();
      ctx.log.info(`oai-pmh: harvest complete`, { pages: state.page, records: state.records, takedowns: state.takedowns });
      return;
    }
  },
});

export { identify, listSets, OaiError } from './protocol.js';
