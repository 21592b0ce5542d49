import { createRequire } from 'node:module';

type Robot = {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
};
const robotsParser = createRequire(import.meta.url)('robots-parser') as (url: string, contents: string) => Robot;

/** RFC 9309 §2.5: crawlers must parse at least 500 KiB; past that the file is cut. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

export type RobotsPolicy =
  | { kind: 'rules'; allows(url: string): boolean; crawlDelayS: number | undefined; sitemaps: string[]; evidence: string }
  | { kind: 'allow_all'; evidence: string }
  | { kind: 'disallow_all'; evidence: string };

export type RobotsFetchResult =
  | { kind: 'response'; status: number; body: Uint8Array; url: string }
  | { kind: 'unreachable'; error: string };

/**
 * What a host's robots.txt lets our token do, per RFC 9309 §2.3.1: 2xx → its rules; 4xx
 * ("unavailable") → everything allowed; 5xx or unreachable → everything disallowed (fail closed).
 * 429 is treated like 5xx: the server is asking us to slow down, not telling us there are no rules.
 */
export function robotsPolicy(robotsUrl: string, fetched: RobotsFetchResult, token: string): RobotsPolicy {
  if (fetched.kind === 'unreachable') return { kind: 'disallow_all', evidence: `robots.txt unreachable: ${fetched.error}` };
  const { status } = fetched;
  if (status >= 200 && status < 300) {
    const text = new TextDecoder('utf-8').decode(fetched.body.subarray(0, ROBOTS_MAX_BYTES));
    const robots = robotsParser(robotsUrl, text);
    const delay = robots.getCrawlDelay(token);
    return {
      kind: 'rules',
      // robots-parser answers undefined for URLs of another origin; those get their own robots.txt.
      allows: (url) => robots.isAllowed(url, token) !== false,
      crawlDelayS: typeof delay === 'number' && Number.isFinite(delay) && delay > 0 ? delay : undefined,
      sitemaps: robots.getSitemaps(),
      evidence: `${fetched.url} (${status})`,
    };
  }
  if (status === 429 || status >= 500) return { kind: 'disallow_all', evidence: `${fetched.url} answered ${status}: fail closed` };
  if (status >= 400) return { kind: 'allow_all', evidence: `${fetched.url} answered ${status}: no rules` };
  return { kind: 'disallow_all', evidence: `${fetched.url} answered ${status}` };
}

export function robotsAllows(policy: RobotsPolicy, url: string): boolean {
  if (policy.kind === 'allow_all') return true;
  if (policy.kind === 'disallow_all') return false;
  return policy.allows(url);
}
