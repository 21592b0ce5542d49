import { z } from 'zod';
import { SemVer, Sha256 } from './manifest.js';
import { UtcInstant } from './document.js';

/** `<out>/catalog.json`: every dataset and every version published under one output root. */
export const CatalogSchema = z
  .object({
    catalog_version: z.literal(1),
    updated: UtcInstant,
    datasets: z.array(
      z
        .object({
          dataset: z.string(),
          description: z.string().optional(),
          latest: SemVer,
          versions: z.array(
            z
              .object({
                version: SemVer,
                created: UtcInstant,
                manifest: z.string().describe('path of manifest.json relative to the catalog'),
                manifest_sha256: Sha256,
                documents: z.number().int(),
                bytes: z.number().int(),
                licenses: z.array(z.string()),
              })
              .strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();
export type Catalog = z.infer<typeof CatalogSchema>;
