import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc, type Doc } from '../../pipeline/doc.js';
import type { RunContext } from '../../pipeline/context.js';
import { mapLicense } from '../../licenses/table.js';
import { HttpError, HttpOptions, httpGet, readAll } from '../io/http.js';

export const DatagouvOptions = z
  .object({
    api_base: z.url().default('https://www.data.gouv.fr/api/1').describe('udata API root (v1)'),
    license: z.string().optional().describe('udata licence id to select, e.g. lov2'),
    organization: z.string().optional().describe('organisation id or slug'),
    tag: z.string().optional(),
    q: z.string().optional().describe('full-text query'),
    page_size: z.number().int().min(1).max(100).default(50),
    max_pages: z.number().int().positive().optional().describe('stop after this many listing pages'),
    resources: z.boolean().default(true).describe('also read the text-like resources of each dataset'),
    resource_formats: z.array(z.string()).default(['txt', 'md', 'markdown']).describe('udata resource formats read as text'),
    max_resource_bytes: z.number().int().positive().default(20 * 1024 * 1024),
    min_description_chars: z.number().int().min(0).default(1),
    http: HttpOptions,
  })
  .strict();
export type DatagouvOptions = z.output<typeof DatagouvOptions>;

const Resource = z.looseObject({
  id: z.string(),
  title: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  format: z.string().nullable().optional(),
  url: z.string(),
  filesize: z.number().nullable().optional(),
  mime: z.string().nullable().optional(),
  type: z.string().nullable().optional(),
  last_modified: z.string().nullable().optional(),
});

const Dataset = z.looseObject({
  id: z.string(),
  title: z.string(),
  slug: z.string().optional(),
  description: z.string().nullable().optional(),
  license: z.string().nullable().optional(),
  page: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  last_modified: z.string().nullable().optional(),
  deleted: z.unknown().optional(),
  private: z.boolean().nullable().optional(),
  archived: z.unknown().optional(),
  tags: z.array(z.string()).nullable().optional(),
  frequency: z.string().nullable().optional(),
  organization: z.looseObject({ id: z.string(), name: z.string(), slug: z.string().optional() }).nullable().optional(),
  owner: z.looseObject({ first_name: z.string().optional(), last_name: z.string().optional() }).nullable().optional(),
  resources: z.union([z.array(z.unknown()), z.looseObject({ href: z.string() })]).optional(),
});
type Dataset = z.infer<typeof Dataset>;

const Page = z.looseObject({ data: z.array(z.unknown()), next_page: z.string().nullable().optional(), total: z.number().optional() });

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function listingUrl(options: DatagouvOptions): string {
  const url = new URL(`${options.api_base.replace(/\/$/, '')}/datasets/`);
  for (const k of ['license', 'organization', 'tag', 'q'] as const) if (options[k]) url.searchParams.set(k, options[k]!);
  url.searchParams.set('page_size', String(options.page_size));
  url.searchParams.set('page', '1');
  return url.toString();
}

async function getJson(url: string, options: DatagouvOptions, ctx: RunContext): Promise<unknown> {
  const res = await httpGet(url, options.http, ctx.log, ctx.signal, 'application/json');
  return JSON.parse((await readAll(res.body)).toString('utf8'));
}

function attributionOf(d: Dataset): string | null {
  if (d.organization?.name) return d.organization.name;
  const name = [d.owner?.first_name, d.owner?.last_name].filter(Boolean).join(' ');
  return name || null;
}

/**
 * data.gouv.fr (udata API v1): datasets selected by licence, organisation, tag or query, paged by
 * `next_page`. Each dataset's description (French prose, Markdown) is a document, and so is each
 * text-like resource; the licence is the dataset's udata id through the shared table.
 */
export const datagouvConnector = defineConnector({
  name: 'datagouv',
  options: DatagouvOptions,
  async *read(options, input, ctx) {
    const origin = new URL(options.api_base).origin;
    const source = input.source.id;
    const retrieved = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const bad = (id: string, reason: string, detail: unknown, extra: Partial<Doc> = {}) =>
      ctx.reject(makeDoc({ id, source, text: '', date_retrieved: retrieved, ...extra }), 'datagouv', `datagouv.${reason}`, detail);
    let next: string | null = listingUrl(options);
    for (let pageNo = 1; next; pageNo++) {
      if (options.max_pages && pageNo > options.max_pages) return;
      let page: z.infer<typeof Page>;
      try {
        page = Page.parse(await getJson(next, options, ctx));
      } catch (e) {
        if (e instanceof HttpError) throw e;
        bad(`${source}/listing-page-${pageNo}`, 'malformed_listing', { url: next, error: (e as Error).message });
        return;
      }
      for (const raw of page.data) {
        const parsed = Dataset.safeParse(raw);
        if (!parsed.success) {
          const rawId = (raw as { id?: unknown } | null)?.id;
          bad(`${source}/dataset/${typeof rawId === 'string' ? rawId : `page-${pageNo}`}`, 'malformed_dataset', { issues: parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
          continue;
        }
        yield* datasetDocs(parsed.data, options, ctx, source, retrieved);
      }
      next = page.next_page ?? null;
      if (next && new URL(next, options.api_base).origin !== origin) {
        // A listing must not send the harvester to another host.
        throw new Error(`datagouv: next_page ${next} is not on ${origin}`);
      }
      if (next) next = new URL(next, options.api_base).toString();
    }
  },
});

async function* datasetDocs(d: Dataset, options: DatagouvOptions, ctx: RunContext, source: string, retrieved: string): AsyncIterable<Doc> {
  const id = `${source}/dataset/${d.id}`;
  const metadata = {
    dataset_id: d.id,
    slug: d.slug ?? null,
    organization: d.organization ? { id: d.organization.id, name: d.organization.name } : null,
    tags: d.tags ?? [],
    frequency: d.frequency ?? null,
    last_modified: d.last_modified ?? null,
    udata_license: d.license ?? null,
  };
  const base = { source, date_retrieved: retrieved, title: d.title, url: d.page ?? null, date_published: d.created_at ?? null, attribution: attributionOf(d), metadata };
  const reject = (docId: string, reason: string, detail: unknown, text = '') => ctx.reject(makeDoc({ ...base, id: docId, text }), 'datagouv', `datagouv.${reason}`, detail);
  if (d.deleted || d.private) {
    reject(id, d.deleted ? 'deleted' : 'private', { deleted: d.deleted ?? null, private: d.private ?? null });
    return;
  }
  const license = mapLicense(d.license ?? '', `${d.page ?? id} udata license`);
  if (!license.ok) {
    reject(id, `${license.reason}_license`, { license: d.license ?? null, why: license.why }, d.description ?? '');
    return;
  }
  const lic = { license: license.id, license_evidence: license.evidence };
  const description = (d.description ?? '').trim();
  if (description.length >= Math.max(1, options.min_description_chars)) yield makeDoc({ ...base, ...lic, id, text: description });
  else reject(id, 'no_description', { chars: description.length });

  if (!options.resources || !Array.isArray(d.resources)) return;
  const formats = new Set(options.resource_formats.map((f) => f.toLowerCase()));
  for (const rawResource of d.resources) {
    const r = Resource.safeParse(rawResource);
    if (!r.success) {
      reject(`${id}/resource/unknown`, 'malformed_resource', { issues: r.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`) });
      continue;
    }
    const res = r.data;
    if (!formats.has((res.format ?? '').toLowerCase())) continue;
    const rid = `${source}/resource/${res.id}`;
    const rmeta = { ...metadata, resource_id: res.id, format: res.format ?? null, resource_type: res.type ?? null };
    const rbase = { ...base, ...lic, id: rid, url: res.url, title: res.title ?? d.title, metadata: rmeta };
    if (res.filesize && res.filesize > options.max_resource_bytes) {
      ctx.reject(makeDoc({ ...rbase, text: '' }), 'datagouv', 'datagouv.resource_too_large', { filesize: res.filesize, limit: options.max_resource_bytes });
      continue;
    }
    let bytes: Buffer;
    try {
      if (!/^https?:\/\//i.test(res.url)) throw new Error(`not an http(s) URL: ${res.url}`);
      const got = await httpGet(res.url, { ...options.http, max_body_bytes: options.max_resource_bytes }, ctx.log, ctx.signal);
      bytes = await readAll(got.body);
    } catch (e) {
      const reason = e instanceof HttpError && e.reason === 'body_too_large' ? 'resource_too_large' : 'resource_unavailable';
      ctx.reject(makeDoc({ ...rbase, text: '' }), 'datagouv', `datagouv.${reason}`, { url: res.url, error: (e as Error).message });
      continue;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      ctx.reject(makeDoc({ ...rbase, text: '', raw: bytes }), 'datagouv', 'datagouv.resource_not_utf8', { url: res.url });
      continue;
    }
    yield makeDoc({ ...rbase, text: text.replace(/^\uFEFF/, '') });
  }
}
