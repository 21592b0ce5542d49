import { z } from 'zod';

/** What a `connector: crawl` source asks for: where to start, how far to go, how politely. */
export const CrawlOptions = z
  .object({
    seeds: z.array(z.url()).default([]).describe('start URLs'),
    sitemaps: z.array(z.url()).default([]).describe('sitemaps: XML urlset or index, gzip or not, or plain text (one URL a line)'),
    feeds: z.array(z.url()).default([]).describe('RSS or Atom feeds whose item links are seeds'),
    sitemaps_from_robots: z.boolean().default(false).describe('also read the Sitemap: lines of each host robots.txt'),
    scope: z
      .object({
        hosts: z.array(z.string()).optional().describe('host[:port] admitted; default: the hosts of the seeds, sitemaps and feeds'),
        path_prefixes: z.array(z.string()).default(['/']),
        max_depth: z.number().int().min(0).default(3).describe('links followed from a seed; 0 = seeds only'),
        max_pages: z.number().int().min(1).default(10_000),
        include: z.array(z.string()).default([]).describe('regular expressions; when given, a URL must match one'),
        exclude: z.array(z.string()).default([]).describe('regular expressions; a URL matching one is skipped'),
      })
      .strict()
      .prefault({}),
    user_agent: z.string().default('villers-bot/0.1 (+https://github.com/villers; corpus crawler honouring robots.txt and TDMRep)'),
    robots_token: z.string().default('villers-bot').describe('the product token matched against robots.txt User-agent lines'),
    rate_per_host: z.number().positive().default(1).describe('requests per second to one host (host:port); Crawl-delay can only slow it'),
    concurrency: z.number().int().min(1).default(8).describe('requests in flight across all hosts'),
    retries: z.number().int().min(0).default(3).describe('retries on 429, 502, 503, 504 and network errors'),
    backoff_ms: z.number().int().min(1).default(1000).describe('first retry delay; doubled each time, with jitter'),
    max_retry_after_s: z.number().min(0).default(300).describe('a Retry-After longer than this gives up on the URL'),
    max_redirects: z.number().int().min(0).default(5),
    timeout_ms: z.number().int().min(1).default(20_000).describe('connect, headers and between-body-chunks timeout'),
    max_body_bytes: z.number().int().min(1).default(10 * 1024 * 1024),
    content_types: z.array(z.string()).default(['text/html', 'application/xhtml+xml']),
    allow_addresses: z
      .array(z.string())
      .default([])
      .describe('IP addresses or CIDR blocks admitted although private, loopback or link-local (e.g. 127.0.0.1)'),
    warc_max_bytes: z.number().int().min(1024).default(1024 * 1024 * 1024).describe('a new WARC file is started past this size'),
  })
  .strict();
export type CrawlOptions = z.output<typeof CrawlOptions>;
export type CrawlOptionsInput = z.input<typeof CrawlOptions>;
