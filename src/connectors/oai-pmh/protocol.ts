import type { Logger } from '../../pipeline/log.js';
import { httpGet, type HttpOptions } from '../io/http.js';
import { childText, children, parseXmlDocument, XmlRecordReader, XmlRefusal, type XmlElement, type XmlLimits } from '../io/xml-records.js';

export const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';

/** An `<error code="...">` answer: the protocol's way of saying no (OAI-PMH 2.0 §3.6). */
export class OaiError extends Error {
  constructor(
    readonly code: string,
    readonly url: string,
    message: string,
  ) {
    super(`OAI-PMH ${code} from ${url}${message ? `: ${message}` : ''}`);
    this.name = 'OaiError';
  }
}

export interface OaiClient {
  baseUrl: string;
  http: HttpOptions;
  limits: XmlLimits;
  log: Logger;
  signal?: AbortSignal;
}

export function requestUrl(baseUrl: string, params: Record<string, string | undefined>): string {
  const url = new URL(baseUrl);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

function checkRoot(reader: XmlRecordReader, url: string): void {
  if (reader.root && (reader.root.name !== 'OAI-PMH' || reader.root.uri !== OAI_NS)) {
    throw new XmlRefusal('malformed', `not an OAI-PMH response (root <${reader.root.name}> in "${reader.root.uri}") from ${url}`);
  }
}

function throwIfError(el: XmlElement, url: string): void {
  if (el.name === 'error') throw new OaiError(el.attrs.code ?? 'unknown', url, textOfError(el));
}

function textOfError(el: XmlElement): string {
  return el.nodes.filter((n): n is string => typeof n === 'string').join('').replace(/\s+/g, ' ').trim();
}

async function verbDocument(client: OaiClient, params: Record<string, string | undefined>): Promise<XmlElement> {
  const url = requestUrl(client.baseUrl, params);
  const res = await httpGet(url, client.http, client.log, client.signal, 'text/xml');
  const root = await parseXmlDocument(res.body, client.limits);
  if (root.name !== 'OAI-PMH' || root.uri !== OAI_NS) throw new XmlRefusal('malformed', `not an OAI-PMH response from ${url}`);
  for (const el of root.children) throwIfError(el, url);
  return root;
}

export interface Identify {
  repositoryName: string;
  baseURL: string;
  protocolVersion: string;
  earliestDatestamp: string;
  deletedRecord: string;
  granularity: 'YYYY-MM-DD' | 'YYYY-MM-DDThh:mm:ssZ';
  adminEmail: string[];
}

export async function identify(client: OaiClient): Promise<Identify> {
  const root = await verbDocument(client, { verb: 'Identify' });
  const id = root.children.find((c) => c.name === 'Identify');
  if (!id) throw new XmlRefusal('malformed', 'Identify response without <Identify>');
  return {
    repositoryName: childText(id, 'repositoryName'),
    baseURL: childText(id, 'baseURL'),
    protocolVersion: childText(id, 'protocolVersion'),
    earliestDatestamp: childText(id, 'earliestDatestamp'),
    deletedRecord: childText(id, 'deletedRecord'),
    granularity: childText(id, 'granularity') === 'YYYY-MM-DD' ? 'YYYY-MM-DD' : 'YYYY-MM-DDThh:mm:ssZ',
    adminEmail: children(id, 'adminEmail').map((e) => textOfError(e)),
  };
}

export interface OaiSet {
  setSpec: string;
  setName: string;
}

/** Every set of the repository, following resumption tokens. */
export async function listSets(client: OaiClient): Promise<OaiSet[]> {
  const sets: OaiSet[] = [];
  let params: Record<string, string | undefined> = { verb: 'ListSets' };
  for (;;) {
    const root = await verbDocument(client, params);
    const list = root.children.find((c) => c.name === 'ListSets');
    if (!list) throw new XmlRefusal('malformed', 'ListSets response without <ListSets>');
    for (const s of children(list, 'set')) sets.push({ setSpec: childText(s, 'setSpec'), setName: childText(s, 'setName') });
    const token = childText(list, 'resumptionToken');
    if (!token) return sets;
    params = { verb: 'ListSets', resumptionToken: token };
  }
}

export type PageItem =
  | { kind: 'record'; record: XmlElement }
  | { kind: 'end'; resumptionToken: string | null; responseDate: string | null; completeListSize: number | null };

/**
 * One ListRecords page, streamed: records come out as they are parsed, then the page's end with
 * its resumption token (empty or absent: the list is complete). `noRecordsMatch` is an empty list.
 */
export async function* listRecordsPage(client: OaiClient, params: Record<string, string | undefined>): AsyncIterable<PageItem> {
  const url = requestUrl(client.baseUrl, params);
  const res = await httpGet(url, client.http, client.log, client.signal, 'text/xml');
  const reader = new XmlRecordReader((name, uri, depth) => {
    if (uri !== OAI_NS) return false;
    if (depth === 1) return name === 'error' || name === 'responseDate';
    return depth === 2 && (name === 'record' || name === 'resumptionToken');
  }, client.limits);
  let token: string | null = null;
  let responseDate: string | null = null;
  let completeListSize: number | null = null;
  for await (const el of reader.records(res.body)) {
    checkRoot(reader, url);
    if (el.name === 'error') {
      if (el.attrs.code === 'noRecordsMatch') continue;
      throwIfError(el, url);
    } else if (el.name === 'responseDate') responseDate = textOfError(el);
    else if (el.name === 'resumptionToken') {
      token = textOfError(el) || null;
      const size = Number(el.attrs.completeListSize);
      completeListSize = Number.isFinite(size) && el.attrs.completeListSize ? size : null;
    } else yield { kind: 'record', record: el };
  }
  checkRoot(reader, url);
  yield { kind: 'end', resumptionToken: token, responseDate, completeListSize };
}
