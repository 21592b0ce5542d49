/**
 * What fastText should see of a text. lid.176 is case-sensitive and learnt mostly from mixed-case
 * text, so a French recipe in capitals scores far lower than the same recipe in lower case; it also
 * never saw the typographic apostrophe much ("d’un" comes out German), and URLs or e-mail
 * addresses are no language at all.
 */
const URL_OR_EMAIL = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;
/** What any match of URL_OR_EMAIL contains; the full pattern is slow (it backtracks at every word). */
const MAY_HAVE_URL_OR_EMAIL = /@|:\/\/|www\./i;
const TYPOGRAPHIC_APOSTROPHE = /[\u2019\u02bc\u2018]/g;

/** Share of upper-case letters above which a text is read as written in capitals. */
const CAPITALS_SHARE = 0.5;

export function prepareForIdentification(text: string): string {
  let t = text.normalize('NFC');
  if (MAY_HAVE_URL_OR_EMAIL.test(t)) t = t.replace(URL_OR_EMAIL, ' ');
  t = t.replace(TYPOGRAPHIC_APOSTROPHE, "'");
  if (upperShare(t) > CAPITALS_SHARE) t = t.toLowerCase();
  return t.replace(/\s+/g, ' ').trim();
}

const UPPER = /^\p{Lu}$/u;
const LOWER = /^\p{Ll}$/u;
const NOT_A_CASED_LETTER = 0;
const UPPER_LETTER = 1;
const LOWER_LETTER = 2;
/** Case of the non-ASCII code points met so far (the Unicode test is the slow part). */
const caseOf = new Map<number, number>();

function nonAsciiCase(cp: number): number {
  let c = caseOf.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = UPPER.test(ch) ? UPPER_LETTER : LOWER.test(ch) ? LOWER_LETTER : NOT_A_CASED_LETTER;
    if (caseOf.size < 65536) caseOf.set(cp, c);
  }
  return c;
}

/** Upper-case letters (Unicode Lu) over cased letters (Lu and Ll), counted by code point. */
function upperShare(text: string): number {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c >= 0x41 && c <= 0x5a) upper++;
      else if (c >= 0x61 && c <= 0x7a) lower++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    const k = nonAsciiCase(cp);
    if (k === UPPER_LETTER) upper++;
    else if (k === LOWER_LETTER) lower++;
  }
  if (upper === 0) return 0;
  return upper / (upper + lower);
}
