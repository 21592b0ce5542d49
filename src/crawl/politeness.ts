import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One host's request clock. Every request to the host (robots.txt, tdmrep.json, pages, retries,
 * redirect hops) takes a slot first. Slots are handed out one at a time, each at least `intervalMs`
 * after the previous one was actually released, so a stalled process that wakes late never releases
 * two requests back to back, whatever the concurrency.
 */
export class HostClock {
  private chain: Promise<void> = Promise.resolve();
  private lastRelease = -Infinity;
  private holdAt = 0;
  intervalMs: number;

  constructor(ratePerSecond: number) {
    this.intervalMs = 1000 / ratePerSecond;
  }

  /** Crawl-delay or a server's Retry-After can only slow the host down. */
  slowTo(intervalMs: number): void {
    this.intervalMs = Math.max(this.intervalMs, intervalMs);
  }

  /** Nothing before `at` (ms, performance.now clock): how 429/503 back-offs hold the whole host. */
  holdUntil(at: number): void {
    this.holdAt = Math.max(this.holdAt, at);
  }

  /** When the next slot could be released, for choosing which host to serve next. */
  get readyAt(): number {
    return Math.max(this.lastRelease + this.intervalMs, this.holdAt);
  }

  /** Waits for this host's next slot; resolves with the instant (performance.now clock) it was released. */
  async slot(signal?: AbortSignal): Promise<number> {
    const previous = this.chain;
    let release!: () => void;
    this.chain = new Promise<void>((r) => (release = r));
    try {
      await previous;
      for (let wait = this.readyAt - performance.now(); wait > 0; wait = this.readyAt - performance.now()) {
        await sleep(Math.ceil(wait), undefined, { signal });
      }
      this.lastRelease = performance.now();
      return this.lastRelease;
    } finally {
      release();
    }
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
