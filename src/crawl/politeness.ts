import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One host's request clock. Every request to the host (robots.txt, tdmrep.json, pages, retries,
 * redirect hops) takes a slot first; slots are at least `intervalMs` apart, whatever the concurrency.
 */
export class HostClock {
  private next = 0;
  private last = -Infinity;
  intervalMs: number;

  constructor(ratePerSecond: number) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Crawl-delay or a server's Retry-After can only slow the host down. */
  slowTo(intervalMs: number): void {
    this.intervalMs = Math.max(this.intervalMs, intervalMs);
    // A slot already handed out under the old interval must move too.
    this.next = Math.max(this.next, this.last + this.intervalMs);
  }

  /** Nothing before `at` (ms, performance.now clock): how 429/503 back-offs hold the whole host. */
  holdUntil(at: number): void {
    this.next = Math.max(this.next, at);
  }

  get readyAt(): number {
    return this.next;
  }

  async slot(signal?: AbortSignal): Promise<void> {
    const at = Math.max(performance.now(), this.next);
    this.next = at + this.intervalMs;
    this.last = at;
    // Timers may fire a little early relative to performance.now(); wait until the slot really came.
    for (let wait = at - performance.now(); wait > 0; wait = at - performance.now()) await sleep(Math.ceil(wait), undefined, { signal });
  }
}

/** Delay before retry `attempt` (0-based): exponential with full jitter in [½, 1] of the step. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const step = baseMs * 2 ** attempt;
  return Math.round(step / 2 + random() * (step / 2));
}

/** Retry-After as milliseconds from now (delta-seconds or an HTTP date), or null when absent/invalid. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}
