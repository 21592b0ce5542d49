import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { extractPage, type ExtractedPage } from './page.js';

export const ExtractOptions = z
  .object({
    stage: z.literal('extract'),
    min_chars: z.number().int().min(0).default(1).describe('pages with less text than this are rejected as extract.empty'),
    license_min_confidence: z
      .number()
      .min(0)
      .max(1)
      .default(0.9)
      .describe('a licence found on the page becomes the document licence (when the source declares none) from this confidence up'),
  })
  .strict();

/**
 * HTML documents become their main text, with title, date and the page's licence evidence;
 * documents already in text pass through untouched.
 */
export const extractStage = defineStage({
  name: 'extract',
  phase: 'extract',
  options: ExtractOptions,
  create(options) {
    return async function* (docs, ctx) {
      for await (const doc of docs) {
        if (doc.media_type !== 'text/html') {
          yield doc;
          continue;
        }
        const bytes = doc.raw ?? Buffer.from(doc.text, 'utf8');
        let page: ExtractedPage;
        try {
          page = extractPage(bytes, { ...(doc.charset ? { charset: doc.charset } : {}), ...(doc.url ? { url: doc.url } : {}) });
        } catch (e) {
          ctx.reject(doc, 'extract', 'extract.unparsable', { error: (e as Error).message });
          continue;
        }
        if ([...page.text].length < options.min_chars) {
          ctx.reject(doc, 'extract', 'extract.empty', { chars: page.text.length });
          continue;
        }
        delete doc.raw;
        doc.text = page.text;
        doc.media_type = 'text/plain';
        const m = page.metadata;
        doc.title ??= m.title;
        doc.date_published ??= m.date_published;
        const best = page.license.best;
        if (!doc.license && best && best.confidence >= options.license_min_confidence) {
          doc.license = best.id;
          doc.license_evidence = `${doc.url ?? doc.id}: ${best.evidence}`;
        }
        doc.metadata = {
          ...doc.metadata,
          html_lang: m.lang,
          charset: page.charset.charset,
          charset_from: page.charset.from,
          ...(m.author ? { author: m.author } : {}),
          ...(m.site_name ? { site_name: m.site_name } : {}),
          ...(m.canonical ? { canonical: m.canonical } : {}),
          ...(page.license.all.length ? { page_licenses: page.license.all } : {}),
        };
        yield doc;
      }
    };
  },
});
