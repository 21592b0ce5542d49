import { child, childText, textOf, type XmlElement } from '../io/xml-records.js';

/** A LEGI/JORF/KALI article file (root `<ARTICLE>`), as the DILA documentation describes it. */
export interface DilaArticle {
  id: string;
  fund: string | null;
  num: string | null;
  etat: string | null;
  date_debut: string | null;
  date_fin: string | null;
  text_id: string | null;
  text_title: string | null;
  nature: string | null;
  nor: string | null;
  eli: string | null;
  text: string;
}

function find(el: XmlElement | undefined, ...path: string[]): XmlElement | undefined {
  let cur = el;
  for (const name of path) cur = cur ? child(cur, name) : undefined;
  return cur;
}

function findDeep(el: XmlElement, name: string): XmlElement | undefined {
  for (const c of el.children) {
    if (c.name === name) return c;
    const d = findDeep(c, name);
    if (d) return d;
  }
  return undefined;
}

const BLOCK = new Set(['p', 'div', 'table', 'tr', 'li', 'ul', 'ol', 'blockquote', 'h1', 'h2', 'h3', 'h4']);

/** CONTENU is XHTML-like: paragraphs and `<br/>` become lines, other markup its text. */
export function contentText(el: XmlElement | undefined): string {
  if (!el) return '';
  let out = '';
  const walk = (e: XmlElement) => {
    for (const n of e.nodes) {
      if (typeof n === 'string') out += n;
      else if (n.name === 'br') out += '\n';
      else {
        const block = BLOCK.has(n.name.toLowerCase());
        if (block) out += '\n';
        walk(n);
        if (block) out += '\n';
      }
    }
  };
  walk(el);
  return out
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

const orNull = (s: string) => (s === '' ? null : s);

export function readArticle(root: XmlElement): DilaArticle | null {
  if (root.name !== 'ARTICLE') return null;
  const meta = child(root, 'META');
  const commun = find(meta, 'META_COMMUN');
  const spec = find(meta, 'META_SPEC', 'META_ARTICLE');
  const id = commun ? childText(commun, 'ID') : '';
  if (!id) return null;
  const texte = find(root, 'CONTEXTE', 'TEXTE');
  const titre = texte ? child(texte, 'TITRE_TXT') : undefined;
  const eli = findDeep(root, 'ID_ELI') ?? findDeep(root, 'ELI');
  return {
    id,
    fund: commun ? orNull(childText(commun, 'ORIGINE')) : null,
    num: spec ? orNull(childText(spec, 'NUM')) : null,
    etat: spec ? orNull(childText(spec, 'ETAT')) : null,
    date_debut: spec ? orNull(childText(spec, 'DATE_DEBUT')) : null,
    date_fin: spec ? orNull(childText(spec, 'DATE_FIN')) : null,
    text_id: texte?.attrs.cid ?? null,
    text_title: titre ? orNull(titre.attrs.c_titre_court ?? '') ?? orNull(textOf(titre)) : null,
    nature: texte?.attrs.nature ?? null,
    nor: texte?.attrs.nor || (meta ? orNull(textOf(findDeep(meta, 'NOR'))) : null) || null,
    eli: eli ? orNull(textOf(eli)) : null,
    text: contentText(find(root, 'BLOC_TEXTUEL', 'CONTENU')),
  };
}
