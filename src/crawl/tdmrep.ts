/**
 * W3C TDM Reservation Protocol (TDMRep, Community Group final report, 2024): the machine-readable
 * text-and-data-mining opt-out of article 4 of EU directive 2019/790.
 *
 * Three places declare it, each superseding the one before: the origin's `/.well-known/tdmrep.json`
 * (first matching rule wins), the `tdm-reservation` / `tdm-policy` response header fields, and
 * `<meta name="tdm-reservation">` / `<meta name="tdm-policy">` in HTML. Values other than 0 and 1
 * are protocol errors and mean "unset" at that place.
 */

export type Reservation = 0 | 1 | null;

export interface TdmEvidence {
  from: 'file' | 'header' | 'meta';
  /** The raw value seen, or the rule that matched. */
  value: string;
  reservation: Reservation;
  policy: string | null;
  note?: string;
}

export interface TdmDecision {
  /** 1 reserved (do not mine), 0 explicitly not reserved, null unset (art. 4 exception applies). */
  reservation: Reservation;
  policy: string | null;
  evidence: TdmEvidence[];
}

export interface TdmRule {
  location: string;
  reservation: Reservation;
  policy: string | null;
  matcher: RegExp;
  index: number;
}

export type TdmFile = { kind: 'rules'; rules: TdmRule[]; url: string } | { kind: 'none'; why: string };

export function parseReservation(value: unknown): Reservation {
  if (value === 0 || value === '0') return 0;
  if (value === 1 || value === '1') return 1;
  if (typeof value === 'string' && /^\s*[01]\s*$/.test(value)) return Number(value.trim()) as 0 | 1;
  return null;
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** RFC 3986 comparison form: percent-escapes of unreserved characters decoded, others upper-cased. */
export function normalisePercent(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (m, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(c) ? c : `%${hex.toUpperCase()}`;
  });
}

/**
 * A location pattern in robots.txt syntax (the spec points to draft-koster-rep §2.2.3 and Google's
 * reading): a prefix match on path and query, `*` = any characters, a final `$` = end of URL.
 */
export function locationMatcher(location: string): RegExp {
  let pattern = normalisePercent(location.trim());
  const anchored = pattern.endsWith('$');
  if (anchored) pattern = pattern.slice(0, -1);
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

/** Parses tdmrep.json. A missing, failed or malformed file means the origin does not implement it. */
export function parseTdmFile(url: string, status: number | null, body: Uint8Array | null, error?: string): TdmFile {
  if (status === null) return { kind: 'none', why: `${url} unreachable: ${error ?? 'error'}` };
  if (status < 200 || status >= 300 || !body) return { kind: 'none', why: `${url} answered ${status}` };
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(body));
  } catch (e) {
    return { kind: 'none', why: `${url} is not JSON: ${(e as Error).message}` };
  }
  if (!Array.isArray(json)) return { kind: 'none', why: `${url} is not a JSON array of rules` };
  const rules: TdmRule[] = [];
  json.forEach((r: unknown, index) => {
    if (typeof r !== 'object' || r === null) return;
    const o = r as Record<string, unknown>;
    if (typeof o.location !== 'string' || !o.location) return;
    rules.push({
      location: o.location,
      reservation: parseReservation(o['tdm-reservation']),
      policy: typeof o['tdm-policy'] === 'string' ? o['tdm-policy'] : null,
      matcher: locationMatcher(o.location),
      index,
    });
  });
  return { kind: 'rules', rules, url };
}

/** The decision the origin file gives a URL: the first rule whose location matches its path and query. */
export function decideFromFile(file: TdmFile, url: string): TdmDecision {
  if (file.kind === 'none') return { reservation: null, policy: null, evidence: [] };
  const u = new URL(url);
  const target = normalisePercent(u.pathname + u.search);
  const rule = file.rules.find((r) => r.matcher.test(target));
  if (!rule) return { reservation: null, policy: null, evidence: [] };
  const policy = rule.reservation === 1 ? rule.policy : null;
  return {
    reservation: rule.reservation,
    policy,
    evidence: [{ from: 'file', value: `${file.url} rule ${rule.index} location "${rule.location}"`, reservation: rule.reservation, policy, ...(rule.reservation === null ? { note: 'invalid tdm-reservation value: unset' } : {}) }],
  };
}

/** A later place (header, meta) overrides what was decided before, when it declares a valid value. */
export function supersede(before: TdmDecision, from: 'header' | 'meta', reservationRaw: string | null | undefined, policyRaw: string | null | undefined): TdmDecision {
  if (reservationRaw === null || reservationRaw === undefined) return before;
  const reservation = parseReservation(reservationRaw);
  const policy = reservation === 1 && policyRaw ? policyRaw.trim() : null;
  const evidence: TdmEvidence = { from, value: reservationRaw, reservation, policy };
  if (reservation === null) return { ...before, evidence: [...before.evidence, { ...evidence, note: 'protocol error: value other than 0 or 1, ignored' }] };
  return { reservation, policy, evidence: [...before.evidence, evidence] };
}

/** `tdm-reservation` / `tdm-policy` meta tags of an HTML head (names compared case-insensitively). */
export function tdmMeta(html: string): { reservation: string | null; policy: string | null } {
  let reservation: string | null = null;
  let policy: string | null = null;
  for (const m of html.matchAll(/<meta\b[^>]*>/gi)) {
    const tag = m[0];
    const name = attr(tag, 'name')?.toLowerCase();
    if (name === 'tdm-reservation' && reservation === null) reservation = attr(tag, 'content');
    else if (name === 'tdm-policy' && policy === null) policy = attr(tag, 'content');
  }
  return { reservation, policy };
}

function attr(tag: string, name: string): string | null {
  const m = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return m ? (m[1] ?? m[2] ?? m[3] ?? '') : null;
}
