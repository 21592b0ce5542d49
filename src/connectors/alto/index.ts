import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineConnector } from '../connector.js';
import { makeDoc } from '../../pipeline/doc.js';
import { HttpOptions } from '../io/http.js';
import { DecompressionLimit } from '../io/bounded-gunzip.js';
import { CorruptCompression } from '../io/bounded-bunzip2.js';
import { expandTargets, isUrl, openDecoded, resolveTarget, targetName } from '../io/archive-input.js';
import { DEFAULT_XML_LIMITS, textOf, XmlRecordReader, XmlRefusal, type XmlElement } from '../io/xml-records.js';

const MiB = 1024 * 1024;

export const AltoOptions = z
  .object({
    input: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).describe('ALTO XML pages (v2 to v4): files, folders or URLs (e.g. Gallica RequestDigitalElement?O=…&E=ALTO&Deb=N)'),
    drop_block_labels: z.array(z.string()).default(['Numbering', 'RunningTitle', 'NumberingZone', 'RunningTitleZone']).describe('TextBlocks tagged with these labels are kept in metadata, not in the text'),
    min_text_chars: z.number().int().min(0).default(1),
    max_page_chars: z.number().int().positive().default(16 * MiB),
    max_decompressed_bytes: z.number().int().positive().default(256 * MiB),
    http: HttpOptions,
  })
  .strict();
export type AltoOptions = z.output<typeof AltoOptions>;

/** Line-end hyphens of old prints and OCR: `dan¬` + `ger` is "danger". */
const SOFT_HYPHEN_END = /[¬\u00ad]$/;

interface Line {
  text: string;
  /** The word at the end continues on the next line. */
  hyphenated: boolean;
}

/** One TextLine: its Strings joined by their SP, hyphenated word parts made whole (SUBS_CONTENT). */
export function lineText(line: XmlElement, state: { skipPart2: boolean }): Line {
  let out = '';
  let hyphenated = false;
  let skipPart2 = state.skipPart2;
  for (const c of line.children) {
    if (c.name === 'String') {
      const subsType = c.attrs.SUBS_TYPE;
      if (subsType === 'HypPart2' && skipPart2) {
        skipPart2 = false;
        continue;
      }
      if (subsType === 'HypPart1' && c.attrs.SUBS_CONTENT) {
        // The whole word stands here; its second half, on the next line, is skipped there.
        out += c.attrs.SUBS_CONTENT;
        skipPart2 = true;
        continue;
      }
      out += c.attrs.CONTENT ?? '';
    } else if (c.name === 'SP') out += ' ';
    else if (c.name === 'HYP') hyphenated = true;
  }
  out = out.replace(/\s+/g, ' ').trim();
  if (SOFT_HYPHEN_END.test(out)) {
    out = out.slice(0, -1);
    hyphenated = true;
  }
  state.skipPart2 = skipPart2;
  return { text: out, hyphenated: hyphenated && !skipPart2 };
}

/** Lines of a block as text: newlines between lines, hyphenated words joined across them. */
export function blockText(lines: Line[], joinedParts: { pending: boolean }): string {
  let text = '';
  for (const l of lines) {
    if (!l.text) continue;
    if (text === '') text = l.text;
    else text += (joinedParts.pending ? '' : '\n') + l.text;
    joinedParts.pending = l.hyphenated;
  }
  return text;
}

/**
 * ALTO OCR pages (Gallica, eScriptorium, Transkribus exports): the text of `String@CONTENT`, lines
 * as lines and blocks as paragraphs, hyphenated words rejoined (`HYP`, `SUBS_CONTENT`, `¬`).
 * Page numbers and running titles go to metadata so they do not cut sentences across pages.
 */
export const altoConnector = defineConnector({
  name: 'alto',
  options: AltoOptions,
  async *read(o, input, ctx) {
    const targets = (Array.isArray(o.input) ? o.input : [o.input]).map((t) => resolveTarget(input.baseDir, t));
    const files = await expandTargets(targets, (n) => /\.xml$/i.test(n));
    for (const file of files) {
      const name = isUrl(file) ? file : targetName(file);
      const retrieved = input.source.date_retrieved ?? (isUrl(file) ? new Date().toISOString() : (await stat(file)).mtime.toISOString());
      const id = `${input.source.id}/${isUrl(file) ? name : name.replace(/\.xml$/i, '')}`;
      const labels = new Map<string, string>();
      const paragraphs: string[] = [];
      const dropped: Record<string, string[]> = {};
      const pending = { pending: false };
      const hyphenState = { skipPart2: false };
      let imageName: string | null = null;
      let blocks = 0;
      let lines = 0;
      const reader = new XmlRecordReader((local) => local === 'TextBlock' || local === 'Tags' || local === 'sourceImageInformation', {
        ...DEFAULT_XML_LIMITS,
        maxRecordChars: o.max_page_chars,
        maxDocumentChars: o.max_page_chars * 8,
      });
      const stub = (extra: Record<string, unknown>) => makeDoc({ id, source: input.source.id, text: '', url: isUrl(file) ? file : null, date_retrieved: retrieved, metadata: { file: name, ...extra } });
      try {
        const bytes = await openDecoded(file, { http: o.http, log: ctx.log, signal: ctx.signal, maxDecompressedBytes: o.max_decompressed_bytes });
        for await (const el of reader.records(bytes)) {
          if (reader.root && reader.root.name !== 'alto') throw new XmlRefusal('malformed', `root element is <${reader.root.name}>, not <alto>`);
          if (el.name === 'Tags') {
            for (const t of el.children) if (t.attrs.ID && t.attrs.LABEL) labels.set(t.attrs.ID, t.attrs.LABEL);
            continue;
          }
          if (el.name === 'sourceImageInformation') {
            imageName = textOf(el.children.find((c) => c.name === 'fileName')) || null;
            continue;
          }
          blocks++;
          const label = (el.attrs.TAGREFS ?? '').split(/\s+/).map((r) => labels.get(r)).find(Boolean) ?? null;
          const blockLines = el.children.filter((c) => c.name === 'TextLine').map((l) => lineText(l, hyphenState));
          lines += blockLines.length;
          if (label && o.drop_block_labels.includes(label)) {
            (dropped[label] ??= []).push(blockLines.map((l) => l.text).join(' '));
            continue;
          }
          const continues = pending.pending;
          const text = blockText(blockLines, pending);
          if (!text) continue;
          // A word hyphenated across blocks (a column break) continues the last paragraph.
          if (continues && paragraphs.length) paragraphs[paragraphs.length - 1] += text;
          else paragraphs.push(text);
        }
        if (!reader.root) throw new XmlRefusal('malformed', 'empty document');
      } catch (e) {
        if (!(e instanceof XmlRefusal || e instanceof CorruptCompression || e instanceof DecompressionLimit)) throw e;
        const reason = e instanceof XmlRefusal ? `xml_${e.reason}` : e instanceof DecompressionLimit ? 'decompressed_too_large' : 'corrupt_compressed_stream';
        ctx.reject(stub({ blocks_read: blocks }), 'alto', `alto.${reason}`, { file: name, error: e.message });
        continue;
      }
      const text = paragraphs.join('\n\n');
      const metadata = {
        file: name,
        image: imageName,
        alto_namespace: reader.root?.uri ?? null,
        blocks,
        lines,
        ...(dropped.Numbering || dropped.NumberingZone ? { page_number: (dropped.Numbering ?? dropped.NumberingZone)!.join(' ') } : {}),
        ...(dropped.RunningTitle || dropped.RunningTitleZone ? { running_title: (dropped.RunningTitle ?? dropped.RunningTitleZone)!.join(' ') } : {}),
      };
      if (text.length < o.min_text_chars) {
        ctx.reject(stub(metadata), 'alto', 'alto.empty_text', { file: name, blocks, lines });
        continue;
      }
      yield makeDoc({
        id,
        source: input.source.id,
        text,
        url: isUrl(file) ? file : null,
        license: input.source.license ?? null,
        license_evidence: input.source.license ? (input.source.license_evidence ?? `source ${input.source.id}`) : null,
        attribution: input.source.attribution ?? null,
        date_retrieved: retrieved,
        metadata,
      });
    }
  },
});
