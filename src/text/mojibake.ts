/**
 * Repair of the most frequent mojibake of French web text: UTF-8 bytes decoded as windows-1252
 * ("Ã©tÃ©" for "été", "â€™" for "’", "Â " for a no-break space), once or twice over.
 *
 * A candidate is a lead character (Â…ô, the windows-1252 reading of UTF-8 lead bytes C2…F4)
 * followed by the right number of continuation characters (the windows-1252 reading of bytes
 * 80…BF). Each candidate is re-encoded to bytes and decoded as strict UTF-8; it is replaced only
 * when that succeeds and gives a letter, a mark, punctuation, a symbol or a space. The text is
 * changed only when every candidate repairs: one that does not means the text is something else
 * (Latin-1 art, a language we misread) and then nothing is touched.
 */

/** windows-1252's 0x80–0x9F; the five undefined bytes read as the C1 control of the same value. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

const byteOf = new Map<string, number>();
for (let b = 0xa0; b <= 0xff; b++) byteOf.set(String.fromCharCode(b), b);
// Latin-1 decoders leave C1 controls where windows-1252 has letters: read both.
for (let b = 0x80; b <= 0x9f; b++) byteOf.set(String.fromCharCode(b), b);
for (let i = 0; i < 32; i++) byteOf.set(CP1252_HIGH[i]!, 0x80 + i);

const CONTINUATION = `[${escapeClass(CP1252_HIGH)}\u0080-\u00bf]`;
/** Lead chars: 2-byte Â-ß (C2-DF), 3-byte à-ï (E0-EF), 4-byte ð-ô (F0-F4). */
const CANDIDATE = new RegExp(`[\u00c2-\u00df]${CONTINUATION}|[\u00e0-\u00ef]${CONTINUATION}{2}|[\u00f0-\u00f4]${CONTINUATION}{3}`, 'gu');
const QUICK = /[\u00c2-\u00f4]/;

function escapeClass(chars: string): string {
  return chars.replace(/[\]\\^-]/g, '\\$&');
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * What mojibake of French text decodes to: Latin-1 and Latin Extended-A letters and signs,
 * general punctuation, € and ™. A decoding outside this ("Ç’" would give "ǒ", "é»»" a Chinese
 * character) is taken for real text and makes the repair not confident.
 */
const PLAUSIBLE = /^[\u00a0-\u017f\u2010-\u2027\u2030-\u203a\u20ac\u2122]$/u;

function repairOne(candidate: string): string | null {
  const bytes = new Uint8Array(candidate.length);
  for (let i = 0; i < candidate.length; i++) {
    const b = byteOf.get(candidate[i]!);
    if (b === undefined) return null;
    bytes[i] = b;
  }
  try {
    const decoded = strictUtf8.decode(bytes);
    return PLAUSIBLE.test(decoded) ? decoded : null;
  } catch {
    return null;
  }
}

export interface MojibakeRepair {
  text: string;
  /** Number of sequences repaired (0 when the text was left as it was). */
  repaired: number;
}

/** Repairs the text when every mojibake candidate in it repairs; otherwise returns it unchanged. */
export function repairMojibake(text: string, maxPasses = 2): MojibakeRepair {
  let current = text;
  let repaired = 0;
  for (let pass = 0; pass < maxPasses && QUICK.test(current); pass++) {
    let failed = false;
    let found = 0;
    const next = current.replace(CANDIDATE, (m) => {
      const fixed = repairOne(m);
      if (fixed === null) {
        failed = true;
        return m;
      }
      found++;
      return fixed;
    });
    if (failed || found === 0) break;
    // "à" is C3 A0, and A0 (no-break space) is often turned into a plain space on the way: in a
    // text now known to be mojibake, "Ã " before a word is "à ".
    current = next.replace(/\u00c3 {1,2}(?=\p{L})/gu, () => {
      found++;
      return 'à ';
    });
    repaired += found;
  }
  return { text: current, repaired };
}
