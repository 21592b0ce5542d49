/** Check digits that tell a real identifier from a number that merely looks like one. */

/** Luhn (ISO/IEC 7812), used by payment cards. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** Remainder of a long decimal string modulo 97, in chunks (too long for a double). */
function mod97(decimal: string): number {
  let r = 0;
  for (let i = 0; i < decimal.length; i += 7) r = Number(String(r) + decimal.slice(i, i + 7)) % 97;
  return r;
}

/** IBAN (ISO 13616): country, check digits, then the whole rearranged number ≡ 1 mod 97. */
export function ibanValid(iban: string): boolean {
  const s = iban.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(s)) return false;
  const length = IBAN_LENGTHS[s.slice(0, 2)];
  if (length !== undefined && s.length !== length) return false;
  const rearranged = (s.slice(4) + s.slice(0, 4)).replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  return mod97(rearranged) === 1;
}

/** Lengths of the IBANs of France, its overseas collectivities and its neighbours. */
const IBAN_LENGTHS: Record<string, number> = {
  FR: 27, MC: 27, BE: 16, LU: 20, CH: 21, DE: 22, ES: 24, IT: 27, GB: 22, NL: 18, PT: 25, AD: 24,
};

/**
 * French social security number (NIR): 13 digits and a key of 2, key = 97 − (number mod 97).
 * Corsica's departments 2A and 2B count as 19 and 18 for the key.
 */
export function nirValid(nir: string): boolean {
  const s = nir.replace(/[\s.]/g, '').toUpperCase();
  if (!/^[1-478]\d{4}(?:\d{2}|2A|2B)\d{6}\d{2}$/.test(s)) return false;
  const body = s.slice(0, 13).replace('2A', '19').replace('2B', '18');
  const key = Number(s.slice(13));
  return 97 - mod97(body) === key;
}
