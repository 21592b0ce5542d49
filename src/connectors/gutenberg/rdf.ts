import { child, children, textOf, type XmlElement } from '../io/xml-records.js';

/** One `pgterms:ebook` of the Project Gutenberg RDF catalogue, the fields a corpus needs. */
export interface CatalogEntry {
  id: string;
  title: string | null;
  languages: string[];
  rights: string | null;
  issued: string | null;
  creators: { name: string; birth: number | null; death: number | null; role: string }[];
  bookshelves: string[];
  subjects: string[];
  /** Plain-text formats listed: URL and charset. */
  textFiles: { url: string; charset: string | null }[];
  type: string | null;
}

const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';

function about(el: XmlElement): string {
  return el.attrs['rdf:about'] ?? '';
}

function values(el: XmlElement, name: string): string[] {
  return children(el, name)
    .map((c) => {
      const desc = child(c, 'Description');
      return textOf(desc ? child(desc, 'value') : c);
    })
    .filter(Boolean);
}

function agentOf(el: XmlElement, role: string): CatalogEntry['creators'][number] | null {
  const agent = child(el, 'agent');
  if (!agent) return null;
  const year = (n: string) => {
    const v = textOf(child(agent, n));
    return /^-?\d+$/.test(v) ? Number(v) : null;
  };
  const name = textOf(child(agent, 'name'));
  return name ? { name, birth: year('birthdate'), death: year('deathdate'), role } : null;
}

export function parseEbook(el: XmlElement): CatalogEntry | null {
  const m = /ebooks\/(\d+)$/.exec(about(el));
  if (!m) return null;
  const creators: CatalogEntry['creators'] = [];
  for (const c of el.children) {
    const role = c.name === 'creator' ? 'creator' : c.name.startsWith('marcrel_') ? c.name.slice('marcrel_'.length) : null;
    if (!role) continue;
    const a = agentOf(c, role);
    if (a) creators.push(a);
  }
  const textFiles: CatalogEntry['textFiles'] = [];
  for (const f of children(el, 'hasFormat')) {
    const file = child(f, 'file');
    if (!file) continue;
    for (const fmt of values(file, 'format')) {
      const mt = /^text\/plain(?:;\s*charset=([\w-]+))?/i.exec(fmt);
      if (mt) textFiles.push({ url: about(file), charset: mt[1]?.toLowerCase() ?? null });
    }
  }
  return {
    id: m[1]!,
    title: textOf(child(el, 'title')) || null,
    languages: values(el, 'language'),
    rights: textOf(child(el, 'rights')) || null,
    issued: textOf(child(el, 'issued')) || null,
    creators,
    bookshelves: values(el, 'bookshelf'),
    subjects: values(el, 'subject'),
    textFiles,
    type: values(el, 'type')[0] ?? null,
  };
}

export const RDF_NS = RDF;
