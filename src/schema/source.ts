import { z } from 'zod';
import { LicenseId, UtcInstant } from './document.js';

/** A file in `sources/*.yaml`: one real source, what it holds and under which licence. */
export const SourceSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, "-" and "_"'),
    name: z.string().min(1),
    description: z.string().optional(),
    homepage: z.url().optional(),
    connector: z.string().min(1).describe('connector name, e.g. files, warc, mediawiki'),
    license: LicenseId.optional().describe('licence the source declares for all its documents'),
    license_evidence: z.string().optional().describe('where that declaration is: a URL or a document'),
    attribution: z.string().optional(),
    date_retrieved: UtcInstant.optional().describe('when a local snapshot was taken; default: the file time'),
    options: z.record(z.string(), z.unknown()).default({}).describe('connector options, validated by the connector'),
  })
  .strict();
export type Source = z.infer<typeof SourceSchema>;
