/**
 * Wikitext → clean text, for language-model corpora: what a reader sees of an article's prose.
 * Removed: templates (infoboxes, navigation, maintenance banners), references, tables, files,
 * galleries, categories, interwiki links, comments and behaviour switches. Kept as text: headings
 * (on their own line), list items (without their markers), link labels, and a few inline templates
 * whose output is prose (dates, centuries, ordinals, `{{lang|…}}`), so that sentences stay whole.
 *
 * Nested constructs are resolved innermost first (a link inside a file caption, a template inside
 * an infobox), with a bound on the passes so hostile nesting costs linear time per pass.
 */

export interface WikitextOptions {
  /** Namespace names (any case) whose links are media: File, Image, Fichier… */
  fileNamespaces: string[];
  /** Namespace names whose links are categories: Category, Catégorie… */
  categoryNamespaces: string[];
  /** Section headings dropped with their content (reference lists, "Voir aussi"…). */
  dropSections: string[];
}

export const DEFAULT_WIKITEXT_OPTIONS: WikitextOptions = {
  fileNamespaces: ['File', 'Image', 'Fichier', 'Media', 'Média'],
  categoryNamespaces: ['Category', 'Catégorie'],
  dropSections: ['Notes et références', 'Notes', 'Références', 'Liens externes', 'Voir aussi', 'Articles connexes', 'Bibliographie', 'Annexes', 'Sources', 'References', 'External links', 'See also'],
};

const MAX_PASSES = 64;

/** Elements whose content is not prose. */
const DROPPED_TAGS = ['ref', 'references', 'gallery', 'math', 'chem', 'score', 'timeline', 'syntaxhighlight', 'source', 'pre', 'graph', 'mapframe', 'maplink', 'templatedata', 'imagemap', 'noinclude', 'includeonly', 'indicator', 'categorytree', 'inputbox'];

const ORDINALS: Record<string, string> = { '1er': '1er', '1re': '1re', er: 'er', re: 're', e: 'e', ere: 're', '2e': '2e', '3e': '3e', '4e': '4e', '5e': '5e', nd: 'nd', nde: 'nde' };

function args(inner: string): string[] {
  return inner.split('|').map((a) => a.trim());
}

/** The prose a handful of common inline templates stand for; null: drop the template. */
function renderInlineTemplate(inner: string): string | null {
  const parts = args(inner);
  const name = (parts[0] ?? '').replace(/_/g, ' ').trim();
  const key = name.toLowerCase();
  const positional = parts.slice(1).filter((p) => !/^[^=\s]+\s*=/.test(p));
  if (key === "'") return '’';
  if (key === ',') return ',';
  if (key === 'nbsp' || key === 'esp') return ' ';
  if (ORDINALS[key] !== undefined) return ORDINALS[key]!;
  if (/^[ivxlcdm]+(e|er|re)?$/i.test(name) && positional.length === 0 && /^[IVXLCDM]/.test(name)) return name; // {{XIXe}}
  const century = /^([IVXLCDM]+)(e|er) siècle$/.exec(name);
  if (century) return name;
  if ((key === 's' || key === 'siècle' || key === 's-') && positional[0]) return `${positional[0]}${positional[0] === 'I' ? 'er' : 'e'}${key === 's-' ? '' : ' siècle'}`;
  if (key === 'sp-' || key === 'sp') return positional[0] ? `${positional[0]}e siècle` : null;
  if (/^(date|date-|date de naissance|date de décès|date de naissance-|date de décès-|dts|date sport)$/.test(key)) {
    return positional.slice(0, 3).join(' ') || null;
  }
  if (/^(lang|langue)$/.test(key)) return positional[1] ?? null;
  if (/^(citation|nobr|nowrap|small|petit|abréviation|abbr|sc|japonais|transl)$/.test(key)) return positional[0] ?? null;
  if (/^(unité|nombre|formatnum|num)$/.test(key)) return positional.join(' ') || null;
  if (/^(p\.|p|pp\.)$/.test(key)) return positional[0] ? `p. ${positional[0]}` : null;
  if (/^(numéro|n°|no)$/.test(key)) return positional[0] ? `no ${positional[0]}` : null;
  return null;
}

function replaceInnermost(text: string, re: RegExp, fn: (...m: string[]) => string): string {
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = text.replace(re, fn as (substring: string, ...args: unknown[]) => string);
    if (next === text) return next;
    text = next;
  }
  return text;
}

const ENTITIES: Record<string, string> = { nbsp: ' ', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", ndash: '–', mdash: '—', laquo: '«', raquo: '»', thinsp: ' ', hellip: '…', rsquo: '’', lsquo: '‘', eacute: 'é', egrave: 'è' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
      return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export function wikitextToText(wikitext: string, options: WikitextOptions = DEFAULT_WIKITEXT_OPTIONS): string {
  const lower = (xs: string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const fileNs = lower(options.fileNamespaces);
  const catNs = lower(options.categoryNamespaces);
  let t = wikitext.replace(/\r\n?/g, '\n');
  t = t.replace(/<!--[\s\S]*?(-->|$)/g, '');
  t = t.replace(/<nowiki\s*\/>/gi, '');
  t = t.replace(/<nowiki>([\s\S]*?)<\/nowiki>/gi, (_m, s: string) => s.replace(/[[\]{}|]/g, (c) => `&#${c.charCodeAt(0)};`));
  for (const tag of DROPPED_TAGS) {
    t = t.replace(new RegExp(`<${tag}\\b[^>]*\\/>`, 'gi'), '');
    t = t.replace(new RegExp(`<${tag}\\b[^>]*>[\\s\\S]*?<\\/${tag}\\s*>`, 'gi'), '');
  }
  // Templates, innermost first: inner dates render, then the infobox around them goes.
  t = replaceInnermost(t, /\{\{(?!\{)([^{}]*)\}\}/g, (_m, inner) => renderInlineTemplate(inner!) ?? '');
  t = t.replace(/\{\{\{[^{}]*\}\}\}/g, '');
  // Tables, innermost first.
  t = replaceInnermost(t, /(^|\n)[ \t]*\{\|(?:(?!\{\|)[\s\S])*?\n[ \t]*\|\}/g, (_m, lead) => lead!);
  // Internal links, innermost first, so that links inside a file caption go before the file.
  t = replaceInnermost(t, /\[\[([^[\]]*)\]\]/g, (_m, inner) => {
    const body = inner!;
    const visible = body.startsWith(':');
    const [target = '', ...rest] = (visible ? body.slice(1) : body).split('|');
    const colon = target.indexOf(':');
    if (colon > 0 && !visible) {
      const prefix = target.slice(0, colon).trim().toLowerCase();
      if (fileNs.has(prefix) || catNs.has(prefix)) return '';
      if (/^[a-z]{2,3}(-[a-z]+)*$/.test(prefix) && rest.length === 0) return ''; // interwiki: [[en:Berlin]]
    }
    const label = rest.length ? rest.join('|') : target.replace(/#.*$/, '') || target;
    return label.trim();
  });
  // External links: [url label] → label; bare [url] → nothing.
  t = t.replace(/\[(?:https?:)?\/\/[^\s\]]+(?:\s+([^\]]*))?\]/g, (_m, label: string | undefined) => label ?? '');
  // Quote runs: 2 italic, 3 bold, 5 both; 4 is an apostrophe before bold (L''''Autriche''').
  t = t.replace(/'{2,}/g, (run) => (run.length === 4 ? "'" : run.length > 5 ? "'".repeat(run.length - 5) : ''));
  t = t.replace(/<br\s*\/?>/gi, '\n');
  t = t.replace(/<\/?[a-z][a-z0-9]*\b[^>]*>/gi, '');
  t = t.replace(/__[A-Z]+__/g, '');
  t = decodeEntities(t);
  return layout(t, new Set(options.dropSections.map((s) => s.toLowerCase())));
}

/** Headings and list items as plain lines, dropped sections out, blank lines squeezed. */
function layout(t: string, drop: Set<string>): string {
  const out: string[] = [];
  let dropping = 0; // heading level of a dropped section, 0 when keeping
  let pendingHeading: string | null = null;
  for (const raw of t.split('\n')) {
    const line = raw.trim();
    const h = /^(={1,6})\s*(.*?)\s*\1$/.exec(line);
    if (h) {
      const level = h[1]!.length;
      if (dropping && level > dropping) continue;
      dropping = drop.has(h[2]!.toLowerCase()) ? level : 0;
      if (!dropping) pendingHeading = h[2]!;
      continue;
    }
    if (dropping) continue;
    let text = line.replace(/^[*#:;]+\s*/, '').replace(/^-{4,}$/, '').replace(/[ \t\u00a0]+/g, ' ').trim();
    if (/^[|!]/.test(text)) continue; // stray table rows from unbalanced markup
    if (/^[\s.,;:()[\]–—-]*$/.test(text)) text = '';
    if (text === '') {
      if (out.length && out[out.length - 1] !== '') out.push('');
      continue;
    }
    if (pendingHeading !== null) {
      // A heading is kept only when prose follows it.
      if (out.length && out[out.length - 1] !== '') out.push('');
      out.push(pendingHeading, '');
      pendingHeading = null;
    }
    out.push(text);
  }
  while (out.length && out[out.length - 1] === '') out.pop();
  // Removed templates leave empty brackets and doubled punctuation behind.
  return out
    .join('\n')
    .replace(/[ \t]*\(\s*[,;]?\s*\)/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/ ([,.)])/g, '$1')
    .replace(/,\./g, '.')
    .replace(/\( /g, '(');
}
