import { ibanValid, luhnValid, nirValid } from './checks.js';

export const PII_KINDS = ['email', 'ip', 'phone', 'nir', 'iban', 'card'] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiMatch {
  kind: PiiKind;
  start: number;
  end: number;
}

const EMAIL = /[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}/g;
/** Four octets, not part of a longer dotted number (version strings "1.2.3.4.5"). */
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\d]|\.\d)/g;
/** 0X XX XX XX XX with one consistent-enough separator, or +33 / 0033 with an optional (0). */
const PHONE = /(?<![\d+])(?:(?:\+|00)33[ .-]?(?:\(0\)[ .-]?)?|0)[1-9](?:[ .-]?\d{2}){4}(?![\d])/g;
const NIR = /(?<![\dA-Za-z])[1-478][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[ABab])[ .]?\d{3}[ .]?\d{3}[ .]?\d{2}(?![\d])/g;
const IBAN = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])/g;
/** 13 to 19 digits in groups; 14-digit numbers are left alone (SIRET numbers also pass Luhn). */
const CARD = /(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g;
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[47]|6(?:011|5|4[4-9]))/;

function isPublicIpv4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  if (a === 192 && b === 168) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  // Documentation ranges (RFC 5737) are examples, not anyone's address: still redacted, since
  // text copied from the web sometimes uses them for real machines.
  return true;
}

const detectors: Record<PiiKind, (text: string) => PiiMatch[]> = {
  email: (t) => all(t, EMAIL, 'email'),
  ip: (t) => all(t, IPV4, 'ip', isPublicIpv4),
  phone: (t) => all(t, PHONE, 'phone'),
  nir: (t) => all(t, NIR, 'nir', nirValid),
  iban: (t) => all(t, IBAN, 'iban', ibanValid),
  card: (t) => all(t, CARD, 'card', (m) => {
    const digits = m.replace(/[ -]/g, '');
    return digits.length !== 14 && CARD_PREFIX.test(digits) && luhnValid(digits);
  }),
};

function all(text: string, re: RegExp, kind: PiiKind, valid: (m: string) => boolean = () => true): PiiMatch[] {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(re)) if (valid(m[0])) out.push({ kind, start: m.index, end: m.index + m[0].length });
  return out;
}

/** Order of precedence when matches overlap: the most specific, checked identifiers first. */
const PRECEDENCE: PiiKind[] = ['email', 'iban', 'nir', 'card', 'phone', 'ip'];

/** Every non-overlapping PII match of the given kinds, in text order. */
export function detectPii(text: string, kinds: readonly PiiKind[] = PII_KINDS): PiiMatch[] {
  const taken: PiiMatch[] = [];
  for (const kind of PRECEDENCE) {
    if (!kinds.includes(kind)) continue;
    for (const m of detectors[kind](text)) if (!taken.some((t) => m.start < t.end && t.start < m.end)) taken.push(m);
  }
  return taken.sort((a, b) => a.start - b.start);
}

export interface Redaction {
  text: string;
  counts: Record<PiiKind, number>;
}

/** The text with each match replaced by its typed placeholder ("<EMAIL>", "<PHONE>"…). */
export function redactPii(text: string, kinds: readonly PiiKind[] = PII_KINDS, placeholder = (k: PiiKind) => `<${k.toUpperCase()}>`): Redaction {
  const counts = Object.fromEntries(PII_KINDS.map((k) => [k, 0])) as Record<PiiKind, number>;
  // Cheap exits: most documents have no "@" and no long digit run.
  if (!text.includes('@') && !/\d[\d .-]{6,}\d/.test(text)) return { text, counts };
  const matches = detectPii(text, kinds);
  if (matches.length === 0) return { text, counts };
  let out = '';
  let at = 0;
  for (const m of matches) {
    out += text.slice(at, m.start) + placeholder(m.kind);
    at = m.end;
    counts[m.kind]++;
  }
  return { text: out + text.slice(at), counts };
}
