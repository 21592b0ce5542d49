/**
 * Decodes HTML bytes following the HTML encoding sniffing order, simplified: BOM, then the transport's
 * charset, then `<meta charset>` / `http-equiv` in the first 1024 bytes, then UTF-8.
 * ISO-8859-1 and US-ASCII labels decode as windows-1252, as the WHATWG Encoding standard requires
 * (pages labelled latin-1 routinely use 0x80-0x9F for curly quotes and the euro sign).
 */
export function decodeHtml(bytes: Uint8Array, transportCharset?: string): { text: string; charset: string; from: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode(bytes.subarray(3), 'utf-8', 'bom');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode(bytes.subarray(2), 'utf-16be', 'bom');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode(bytes.subarray(2), 'utf-16le', 'bom');
  const fromTransport = transportCharset && normaliseLabel(transportCharset);
  if (fromTransport) return decode(bytes, fromTransport, 'transport');
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  const meta = /<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)/i.exec(head);
  const fromMeta = meta?.[1] && normaliseLabel(meta[1]);
  if (fromMeta) return decode(bytes, fromMeta, 'meta');
  return decode(bytes, 'utf-8', 'default');
}

function normaliseLabel(label: string): string | null {
  const l = label.trim().toLowerCase();
  if (['iso-8859-1', 'iso8859-1', 'latin1', 'latin-1', 'l1', 'us-ascii', 'ascii', 'cp819', 'ibm819', 'iso_8859-1'].includes(l)) return 'windows-1252';
  try {
    return new TextDecoder(l).encoding;
  } catch {
    return null;
  }
}

/** windows-1252 at 0x80-0x9F (0xFFFD where the code page leaves a hole), per the WHATWG index. */
const CP1252_HIGH = '\u20AC\uFFFD\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\uFFFD\u017D\uFFFD\uFFFD\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\uFFFD\u017E\u0178';

function decode(bytes: Uint8Array, charset: string, from: string) {
  if (charset === 'windows-1252') {
    // Some Node builds decode "windows-1252" as plain ISO-8859-1, leaving C1 controls where the
    // euro sign and curly quotes are: map that block ourselves.
    const latin1 = Buffer.from(bytes).toString('latin1');
    return { text: latin1.replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]!), charset, from };
  }
  return { text: new TextDecoder(charset).decode(bytes), charset, from };
}
