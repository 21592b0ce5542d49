import * as cheerio from 'cheerio';

/**
 * The Assemblée nationale's JSON is a mechanical XML→JSON export: nulls are `{"@xsi:nil":"true"}`,
 * text with attributes is `{"#text": ...}`, one-or-many elements are a scalar or an array. These
 * read it as what it means.
 */
export function scalar(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    if (o['@xsi:nil'] === 'true') return null;
    if (typeof o['#text'] === 'string') return o['#text'];
  }
  return null;
}

export function list(v: unknown): unknown[] {
  if (v === null || v === undefined) return [];
  if (typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>)['@xsi:nil'] === 'true') return [];
  return Array.isArray(v) ? v : [v];
}

export function at(v: unknown, ...path: string[]): unknown {
  let cur = v;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** HTML fragments inside the JSON (`<p>`, numeric references such as `&#x00E0;`) as plain text. */
export function fragmentText(html: string | null): string {
  if (!html) return '';
  const $ = cheerio.load(html, null, false);
  $('br').replaceWith('\n');
  $('p, div, li, h1, h2, h3, h4, h5, h6, tr').append('\n');
  return $.root()
    .text()
    .split('\n')
    .map((l) => l.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

export interface AnText {
  kind: 'amendement' | 'reunion';
  uid: string;
  title: string;
  text: string;
  date: string | null;
  speaker: string | null;
  metadata: Record<string, unknown>;
}

export function amendementText(a: unknown): AnText | null {
  const uid = scalar(at(a, 'uid'));
  if (!uid) return null;
  const expose = fragmentText(scalar(at(a, 'corps', 'contenuAuteur', 'exposeSommaire')));
  const dispositif = fragmentText(scalar(at(a, 'corps', 'contenuAuteur', 'dispositif')));
  const numero = scalar(at(a, 'identification', 'numeroLong'));
  const article = scalar(at(a, 'pointeurFragmentTexte', 'division', 'titre'));
  const text = [dispositif && `Dispositif\n${dispositif}`, expose && `Exposé sommaire\n${expose}`].filter(Boolean).join('\n\n');
  return {
    kind: 'amendement',
    uid,
    title: `Amendement n° ${numero ?? '?'}${article ? ` (${article})` : ''}`,
    text,
    date: scalar(at(a, 'cycleDeVie', 'dateDepot')),
    speaker: fragmentText(scalar(at(a, 'signataires', 'libelle'))) || null,
    metadata: {
      type: 'amendement',
      uid,
      legislature: scalar(at(a, 'legislature')),
      texte: scalar(at(a, 'texteLegislatifRef')),
      auteur: scalar(at(a, 'signataires', 'auteur', 'acteurRef')),
      groupe: scalar(at(a, 'signataires', 'auteur', 'groupePolitiqueRef')),
      cosignataires: list(at(a, 'signataires', 'cosignataires', 'acteurRef')).map(scalar).filter(Boolean),
      article,
      sort: scalar(at(a, 'cycleDeVie', 'sort')),
      seance: scalar(at(a, 'seanceDiscussionRef')),
    },
  };
}

export function reunionText(r: unknown): AnText | null {
  const uid = scalar(at(r, 'uid'));
  if (!uid) return null;
  const points = list(at(r, 'ODJ', 'pointsODJ', 'pointODJ'));
  const lines = points
    .filter((p) => scalar(at(p, 'cycleDeVie', 'etat')) !== 'Supprimé')
    .map((p) => scalar(at(p, 'objet')))
    .filter((s): s is string => Boolean(s));
  const start = scalar(at(r, 'timeStampDebut'));
  return {
    kind: 'reunion',
    uid,
    title: `Réunion ${uid}${start ? ` du ${start.slice(0, 10)}` : ''}`,
    text: lines.join('\n'),
    date: start,
    speaker: null,
    metadata: { type: 'reunion', uid, organe: scalar(at(r, 'organeReuniRef')), compte_rendu: scalar(at(r, 'compteRenduRef')), lieu: scalar(at(r, 'lieu', 'libelleLong')) },
  };
}
