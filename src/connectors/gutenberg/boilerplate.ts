/**
 * Project Gutenberg's header and footer, in the variants used since the 1990s. The licence asks
 * that a text stripped of "Project Gutenberg" be stripped of all of it: we cut everything before
 * the START line and from the first END line on, plus the producer credits that open the body.
 */

const START = [
  /^\s*\*{3}\s*START OF (THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$/im,
  /^\s*\*{3}\s*START OF THE PROJECT GUTENBERG\b.*$/im,
  /^\s*\*END\*\s*THE SMALL PRINT!.*$/im,
  /^\s*START OF (THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$/im,
];

const END = [
  /^\s*\*{3}\s*END OF (THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$/im,
  /^\s*\*{3}\s*END OF THE PROJECT GUTENBERG\b.*$/im,
  /^\s*End of (the )?Project Gutenberg('s)?\b.*$/im,
  /^\s*END OF (THE|THIS) PROJECT GUTENBERG E-?BOOK\b.*$/im,
  /^\s*Fin du Projet Gutenberg\b.*$/im,
];

/** Opening credit paragraphs of the producers, right after START. */
const CREDITS = /^(Produced by|This e-?(text|book) was (produced|prepared) by|E-?text prepared by|Transcribed from|Updated editions will replace)\b/i;

export interface Stripped {
  body: string;
  header: string;
  startMarker: string;
  endMarker: string | null;
}

function firstMatch(text: string, patterns: RegExp[], from = 0): RegExpExecArray | null {
  let best: RegExpExecArray | null = null;
  const tail = text.slice(from);
  for (const p of patterns) {
    const m = p.exec(tail);
    if (m && (!best || m.index < best.index)) best = m;
  }
  if (best) best.index += from;
  return best;
}

/** Splits an eBook into header and body; null when no START line is found. */
export function stripBoilerplate(text: string): Stripped | null {
  const start = firstMatch(text, START);
  if (!start) return null;
  const bodyFrom = start.index + start[0].length;
  const end = firstMatch(text, END, bodyFrom);
  let body = text.slice(bodyFrom, end ? end.index : undefined);
  const paragraphs = body.replace(/^\s+/, '').split(/\n\s*\n/);
  // Drop producer credits and Gutenberg notes ("Note: Project Gutenberg also has an HTML version")
  // among the first paragraphs.
  while (paragraphs.length && (CREDITS.test(paragraphs[0]!.trim()) || /Project Gutenberg/i.test(paragraphs[0]!))) paragraphs.shift();
  body = paragraphs.join('\n\n');
  return { body: body.replace(/^\s*\n/, '').replace(/\s+$/, ''), header: text.slice(0, start.index), startMarker: start[0].trim(), endMarker: end ? end[0].trim() : null };
}

export interface HeaderFields {
  title: string | null;
  author: string | null;
  translator: string | null;
  language: string | null;
  ebook: string | null;
  releaseDate: string | null;
}

/** `Title:`, `Author:`, `Language:`, `Release date: … [eBook #N]` of the header (indented lines continue a field). */
export function parseHeader(header: string): HeaderFields {
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const line of header.split('\n')) {
    const m = /^([A-Z][A-Za-z ]{1,30}):\s*(.*)$/.exec(line);
    if (m) {
      last = m[1]!.toLowerCase();
      if (!fields.has(last)) fields.set(last, m[2]!.trim());
    } else if (last && /^\s+\S/.test(line)) fields.set(last, `${fields.get(last)} ${line.trim()}`.trim());
    else last = null;
  }
  const release = fields.get('release date') ?? fields.get('posting date') ?? null;
  const ebook = /\[E-?(?:Book|Text) #(\d+)\]/i.exec(header)?.[1] ?? null;
  return {
    title: fields.get('title') || null,
    author: fields.get('author') || null,
    translator: fields.get('translator') || null,
    language: fields.get('language') || null,
    ebook,
    releaseDate: release ? release.replace(/\s*\[.*$/, '').trim() || null : null,
  };
}

const LANGUAGE_CODES: Record<string, string> = { french: 'fr', english: 'en', german: 'de', italian: 'it', spanish: 'es', portuguese: 'pt', dutch: 'nl', latin: 'la', occitan: 'oc', breton: 'br' };

/** "French" → "fr" (the languages a French corpus meets); null for others. */
export function languageCode(name: string | null): string | null {
  if (!name) return null;
  return LANGUAGE_CODES[name.trim().toLowerCase()] ?? null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const cp1252 = new TextDecoder('windows-1252');

/** UTF-8 (BOM or not) when valid, else the Latin-1 of older files read as windows-1252; LF line ends. */
export function decodeEbook(bytes: Uint8Array): { text: string; charset: string } {
  let text: string;
  let charset = 'utf-8';
  try {
    text = utf8.decode(bytes);
  } catch {
    text = cp1252.decode(bytes);
    charset = 'windows-1252';
  }
  return { text: text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n'), charset };
}
