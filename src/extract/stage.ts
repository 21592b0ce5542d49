import { z } from 'zod';
import { defineStage } from '../pipeline/stage.js';
import { decodeHtml } from './charset.js';
import { htmlToText } from './html-to-text.js';

export const ExtractOptions = z
  .object({
    stage: z.literal('extract'),
    min_chars: z.number().int().min(0).default(1).describe('pages with less text than this are rejected as extract.empty'),
  })
  .strict();

/** HTML documents become plain text; documents already in text pass through untouched. */
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
        let page;
        let charset;
        try {
          const decoded = decodeHtml(bytes, doc.charset);
          charset = decoded;
          page = htmlToText(decoded.text);
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
        doc.title ??= page.title;
        doc.metadata = { ...doc.metadata, html_lang: page.lang, charset: charset.charset, charset_from: charset.from };
        yield doc;
      }
    };
  },
});
