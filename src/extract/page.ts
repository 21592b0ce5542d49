import * as cheerio from 'cheerio';
import { decodeHtml } from './charset.js';
import { readMetadata, type PageMetadata } from './metadata.js';
import { detectLicense, type LicenseFinding } from './license.js';
import { extractMainText } from './main-text.js';

export interface ExtractedPage {
  text: string;
  metadata: PageMetadata;
  license: LicenseFinding;
  charset: { charset: string; from: string };
}

/** Raw HTML bytes → decoded, main text, metadata and licence evidence, from one parse. */
export function extractPage(bytes: Uint8Array, options: { charset?: string; url?: string } = {}): ExtractedPage {
  const decoded = decodeHtml(bytes, options.charset);
  const $ = cheerio.load(decoded.text);
  // Metadata and licence first: extraction removes the head's neighbours and the footer.
  const metadata = readMetadata($, options.url);
  const license = detectLicense($, options.url);
  const { text } = extractMainText($);
  return { text, metadata, license, charset: { charset: decoded.charset, from: decoded.from } };
}
