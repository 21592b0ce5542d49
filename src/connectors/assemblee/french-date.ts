const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "samedi 2 février 2013" or "1er mars 2012" → "2013-02-02"; null when it is not such a date. */
export function parseFrenchDate(text: string): string | null {
  const m = /(\d{1,2})(?:er)?\s+([a-zéûè]+)\s+(\d{4})/i.exec(text.normalize('NFC'));
  if (!m) return null;
  const month = MONTHS.indexOf(m[2]!.toLowerCase());
  if (month < 0) return null;
  return `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
}
