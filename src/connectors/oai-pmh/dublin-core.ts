import type { Source } from '../../schema/source.js';
import { makeDoc, type Doc } from '../../pipeline/doc.js';
import { mapFirstLicense } from '../../licenses/table.js';
import { child, childText, childTexts, children, textOf, type XmlElement } from '../io/xml-records.js';

export const DC_NS = 'http://purl.org/dc/elements/1.1/';

export type RecordOutcome =
  | { kind: 'doc'; doc: Doc }
  | { kind: 'takedown'; doc: Doc; detail: Record<string, unknown> }
  | { kind: 'reject'; doc: Doc; reason: string; detail: Record<string, unknown> };

export interface RecordContext {
  source: Source;
  retrieved: string;
  maxTextChars: number;
}

function dcValues(dc: XmlElement, name: string): string[] {
  return childTexts({ ...dc, children: dc.children.filter((c) => c.uri === DC_NS) }, name);
}

/** `dc:date` as precise as it is given (YYYY, YYYY-MM, YYYY-MM-DD or an instant), else null. */
function publishedDate(dates: string[]): string | null {
  for (const d of dates) {
    const m = /^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.exec(d.trim());
    if (m) return d.trim();
  }
  return null;
}

/**
 * One OAI-PMH `<record>` in `oai_dc` → a document (title, abstracts as text, licence from
 * `dc:rights` through the shared table), a takedown (`<header status="deleted">`) or a reject.
 */
export function recordToOutcome(record: XmlElement, ctx: RecordContext): RecordOutcome {
  const header = child(record, 'header');
  const identifier = header ? childText(header, 'identifier') : '';
  const datestamp = header ? childText(header, 'datestamp') : '';
  const sets = header ? childTexts(header, 'setSpec') : [];
  const base = { source: ctx.source.id, date_retrieved: ctx.retrieved };
  const id = `${ctx.source.id}/${identifier || 'unidentified'}`;
  const oai = { oai_identifier: identifier, datestamp, sets };
  if (header?.attrs.status === 'deleted') {
    // Reported even without an identifier (servers do send those): the count of deletions stays
    // true, and the detail says that this one cannot be matched to a published document.
    const detail = { takedown: true, ...oai, ...(identifier ? {} : { identifiable: false }) };
    return { kind: 'takedown', doc: makeDoc({ ...base, id, text: '', metadata: oai }), detail };
  }
  if (!identifier) {
    return { kind: 'reject', doc: makeDoc({ ...base, id, text: '', metadata: oai }), reason: 'oai-pmh.no_identifier', detail: { expected: '<header><identifier>' } };
  }
  const metadata = child(record, 'metadata');
  const dc = metadata?.children[0];
  if (!dc || dc.name !== 'dc') {
    return { kind: 'reject', doc: makeDoc({ ...base, id, text: '', metadata: oai }), reason: 'oai-pmh.no_dublin_core', detail: { expected: '<metadata><oai_dc:dc>', found: dc?.name ?? null } };
  }
  const titles = dcValues(dc, 'title');
  const descriptions = children(dc, 'description').filter((d) => d.uri === DC_NS);
  const text = descriptions
    .map((d) => textOf(d))
    .filter((t) => t !== '')
    .join('\n\n');
  const identifiers = dcValues(dc, 'identifier');
  const creators = dcValues(dc, 'creator');
  const rights = dcValues(dc, 'rights');
  const meta: Record<string, unknown> = {
    ...oai,
    creators,
    contributors: dcValues(dc, 'contributor'),
    subjects: dcValues(dc, 'subject'),
    types: dcValues(dc, 'type'),
    identifiers,
    languages: dcValues(dc, 'language'),
    description_languages: descriptions.map((d) => d.attrs['xml:lang'] ?? null),
    publishers: dcValues(dc, 'publisher'),
    dates: dcValues(dc, 'date'),
    rights,
  };
  const url = identifiers.find((i) => /^https?:\/\//i.test(i)) ?? null;
  const docInit = { ...base, id, url, title: titles[0] ?? null, metadata: meta, date_published: publishedDate(dcValues(dc, 'date')) };
  if (text === '') return { kind: 'reject', doc: makeDoc({ ...docInit, text: '' }), reason: 'oai-pmh.no_text', detail: { expected: 'a dc:description (abstract)' } };
  if (text.length > ctx.maxTextChars) {
    return { kind: 'reject', doc: makeDoc({ ...docInit, text: text.slice(0, 1000) }), reason: 'oai-pmh.text_too_large', detail: { chars: text.length, limit: ctx.maxTextChars } };
  }
  let license: string | null;
  let evidence: string | null;
  const mapped = mapFirstLicense(rights, `${url ?? identifier} dc:rights`);
  if (mapped.ok) {
    license = mapped.id;
    evidence = mapped.evidence;
  } else if (mapped.reason === 'missing' && ctx.source.license) {
    license = ctx.source.license;
    evidence = ctx.source.license_evidence ?? `sources/${ctx.source.id}.yaml: license ${ctx.source.license}`;
  } else {
    const reason = mapped.reason === 'missing' ? 'oai-pmh.no_license' : `oai-pmh.${mapped.reason}_license`;
    return { kind: 'reject', doc: makeDoc({ ...docInit, text }), reason, detail: { rights: mapped.raw, why: mapped.why } };
  }
  const doc = makeDoc({ ...docInit, text, license, license_evidence: evidence, attribution: creators.length ? creators.join('; ') : (ctx.source.attribution ?? null) });
  return { kind: 'doc', doc };
}
