import type { CheerioAPI } from 'cheerio';
import { mapLicense } from '../licenses/table.js';
import { jsonLdObjects } from './metadata.js';

export interface LicenseEvidence {
  /** The licence id (SPDX or LicenseRef-*), through the shared table. */
  id: string;
  /** How sure we are that the page's content is under it: 0..1. */
  confidence: number;
  /** Where on the page it was read, and what was read. */
  evidence: string;
}

export interface LicenseFinding {
  best: LicenseEvidence | null;
  /** Every statement found, strongest first; conflicting ids lower the best one's confidence. */
  all: LicenseEvidence[];
  /** Statements found that the table does not map (kept for review). */
  unmapped: string[];
}

/**
 * Licence statements of a page. Machine-readable declarations are strongest (rel=license,
 * dcterms.license, JSON-LD license), then a Creative Commons link or badge anywhere, then the French
 * administration's usual footer wording for Licence Ouverte / etalab-2.0.
 */
export function detectLicense($: CheerioAPI, baseUrl?: string): LicenseFinding {
  const all: LicenseEvidence[] = [];
  const unmapped: string[] = [];
  const add = (raw: string | undefined | null, where: string, confidence: number) => {
    if (!raw?.trim()) return;
    const abs = absolute(raw.trim(), baseUrl);
    const m = mapLicense(abs, where);
    if (m.ok) all.push({ id: m.id, confidence, evidence: m.evidence });
    else unmapped.push(`${where}: ${abs}`);
  };

  $('a[rel~="license" i], link[rel~="license" i], area[rel~="license" i]').each((_, el) => add($(el).attr('href'), `<${el.tagName} rel=license>`, 0.95));
  $('meta[name="dcterms.license" i], meta[name="dc.rights" i], meta[name="dcterms.rights" i], meta[property="dc:rights" i], meta[name="license" i], meta[property="og:license" i]').each((_, el) => {
    add($(el).attr('content'), `<meta ${$(el).attr('name') ? 'name' : 'property'}="${$(el).attr('name') ?? $(el).attr('property')}">`, 0.9);
  });
  $('[itemprop="license"]').each((_, el) => add($(el).attr('href') ?? $(el).attr('content') ?? $(el).text(), 'microdata itemprop=license', 0.9));
  for (const o of jsonLdObjects($)) {
    const lic = o.license ?? o.licence;
    for (const v of Array.isArray(lic) ? lic : [lic]) {
      if (typeof v === 'string') add(v, 'JSON-LD license', 0.9);
      else if (v && typeof v === 'object') add(String((v as Record<string, unknown>).url ?? (v as Record<string, unknown>)['@id'] ?? (v as Record<string, unknown>).name ?? ''), 'JSON-LD license', 0.9);
    }
  }
  // A Creative Commons link without rel=license, or a badge image pointing at licensebuttons.
  $('a[href*="creativecommons.org/licenses/" i], a[href*="creativecommons.org/publicdomain/" i]').each((_, el) => {
    if (!($(el).attr('rel') ?? '').toLowerCase().includes('license')) add($(el).attr('href'), 'Creative Commons link', 0.7);
  });
  $('img[src*="licensebuttons.net/l/" i], img[src*="i.creativecommons.org/l/" i]').each((_, el) => {
    const m = /\/l\/([a-z-]+)\/(\d\.\d)/i.exec($(el).attr('src') ?? '');
    if (m) add(`https://creativecommons.org/licenses/${m[1]}/${m[2]}/`, 'Creative Commons badge image', 0.6);
  });
  // The French state's footers: "sous licence etalab-2.0", "Licence Ouverte / Open Licence version 2.0".
  const footerText = $('footer, [role="contentinfo"], #footer, .footer, body').last().text().replace(/\s+/g, ' ');
  const lo = /(?:licence|license)\s+(?:ouverte(?:\s*\/\s*open\s+licen[cs]e)?|etalab)[\s-]*(?:v(?:ersion)?\s*)?(2\.0|1\.0|2)?/i.exec(footerText);
  if (lo) {
    const v = lo[1] ?? (/etalab[\s-]*2\.0/i.test(lo[0]) ? '2.0' : null);
    const statement = lo[0].trim();
    if (v) add(v.startsWith('1') ? 'Licence Ouverte 1.0' : 'etalab-2.0', `page text "${statement}"`, 0.6);
    else if (/etalab-2\.0/i.test(footerText)) add('etalab-2.0', 'page text "etalab-2.0"', 0.6);
    else unmapped.push(`page text: ${statement} (no version)`);
  } else if (/\betalab-2\.0\b/i.test(footerText)) add('etalab-2.0', 'page text "etalab-2.0"', 0.6);

  all.sort((a, b) => b.confidence - a.confidence);
  const best = all[0] ? { ...all[0] } : null;
  if (best) {
    const others = new Set(all.map((e) => e.id));
    // Two different licences stated on one page: the strongest stands, with less certainty.
    if (others.size > 1) best.confidence = Math.round(best.confidence * 0.6 * 100) / 100;
    else if (all.length > 1) best.confidence = Math.min(0.99, Math.round((best.confidence + 0.04 * (all.length - 1)) * 100) / 100);
  }
  return { best, all, unmapped };
}

function absolute(raw: string, base?: string): string {
  if (!base || /^[a-z][a-z0-9+.-]*:/i.test(raw) || !raw.startsWith('/')) return raw;
  try {
    return new URL(raw, base).href;
  } catch {
    return raw;
  }
}
