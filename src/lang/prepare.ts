/**
 * What fastText should see of a text. lid.176 is case-sensitive and learnt mostly from mixed-case
 * text, so a French recipe in capitals scores far lower than the same recipe in lower case; it also
 * never saw the typographic apostrophe much ("d’un" comes out German), and URLs or e-mail
 * addresses are no language at all.
 */
const URL_OR_EMAIL = /\b(?:https?:\/\/|www\.)\S+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+/giu;
const TYPOGRAPHIC_APOSTROPHE = /[\u2019\u02bc\u2018]/g;

/** Share of upper-case letters above which a text is read as written in capitals. */
const CAPITALS_SHARE = 0.5;

export function prepareForIdentification(text: string): string {
  let t = text.normalize('NFC').replace(URL_OR_EMAIL, ' ').replace(TYPOGRAPHIC_APOSTROPHE, "'");
  if (upperShare(t) > CAPITALS_SHARE) t = t.toLowerCase();
  return t.replace(/\s+/g, ' ').trim();
}

const UPPER = /\p{Lu}/gu;
const LOWER = /\p{Ll}/gu;

function upperShare(text: string): number {
  const upper = text.match(UPPER)?.length ?? 0;
  if (upper === 0) return 0;
  const lower = text.match(LOWER)?.length ?? 0;
  return upper / (upper + lower);
}
