import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const current: string[] = require('spdx-license-ids');
const deprecated: string[] = require('spdx-license-ids/deprecated');

const canonical = new Map(current.map((id) => [id.toLowerCase(), id]));
const deprecatedSet = new Set(deprecated.map((id) => id.toLowerCase()));

export type LicenseCheck =
  | { ok: true; id: string }
  | { ok: false; reason: 'unknown_id' | 'deprecated_id'; id: string };

/**
 * Checks a licence id against the SPDX licence list (package `spdx-license-ids`). Case is
 * corrected (`cc-by-4.0` → `CC-BY-4.0`); `LicenseRef-*` ids pass, since SPDX reserves them for
 * licences outside its list, such as Licence Ouverte 1.0.
 */
export function checkLicenseId(id: string): LicenseCheck {
  const trimmed = id.trim();
  if (/^LicenseRef-[A-Za-z0-9.-]+$/.test(trimmed)) return { ok: true, id: trimmed };
  const found = canonical.get(trimmed.toLowerCase());
  if (found) return { ok: true, id: found };
  if (deprecatedSet.has(trimmed.toLowerCase())) return { ok: false, reason: 'deprecated_id', id: trimmed };
  return { ok: false, reason: 'unknown_id', id: trimmed };
}
