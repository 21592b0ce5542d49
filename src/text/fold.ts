/**
 * The text key of exact deduplication: case folded, runs of whitespace, punctuation and digits
 * each folded to one space, accents kept ("côte" and "cote" are different French words).
 */
export function foldForDedup(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}\p{N}]+/gu, ' ')
    .trim();
}
