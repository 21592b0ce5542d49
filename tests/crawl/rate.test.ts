import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crawl } from '../../src/crawl/crawler.js';
import { CrawlOptions } from '../../src/crawl/options.js';
import { HostClock } from '../../src/crawl/politeness.js';

const CRAWL_DELAY_S = 0.1;
let worker: Worker;
let port: number;
const next = <T>(w: Worker) => new Promise<T>((resolve) => w.once('message', resolve));

beforeAll(async () => {
  worker = new Worker(new URL('./rate-server.mjs', import.meta.url), { workerData: { crawlDelayS: CRAWL_DELAY_S, pages: 25 } });
  port = (await next<{ port: number }>(worker)).port;
});
afterAll(async () => {
  worker.postMessage('close');
  await next(worker);
  await worker.terminate();
});

describe('per-host rate', () => {
  it('never sends two requests to one host closer together than its Crawl-delay, at any concurrency', async () => {
    const options = CrawlOptions.parse({ seeds: [`http://127.0.0.1:${port}/`], rate_per_host: 100, concurrency: 8, allow_addresses: ['127.0.0.1'] });
    await crawl(options, { dir: mkdtempSync(join(tmpdir(), 'villers-rate-')), sourceId: 'rate' });
    worker.postMessage('hits');
    const { hits } = await next<{ hits: { path: string; at: number }[] }>(worker);
    expect(hits.length).toBe(2 + 1 + 25); // robots.txt, tdmrep.json (404), the index, its pages
    const times = hits.map((h) => h.at).sort((a, b) => a - b);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // Times are taken on the server's own thread, but a machine busy with other work can still
    // delay when the server notices one arrival (making the next look early): single gaps get a
    // margin, the mean gap and the count over every one-second window get none.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(CRAWL_DELAY_S * 1000 * 0.5);
    expect(gaps.reduce((a, b) => a + b, 0) / gaps.length).toBeGreaterThanOrEqual(CRAWL_DELAY_S * 1000);
    for (const [i, t] of times.entries()) expect(times.slice(i).filter((u) => u < t + 1000).length).toBeLessThanOrEqual(1000 / (CRAWL_DELAY_S * 1000) + 1);
  }, 30_000);

  it('releases slots one interval apart as measured by the crawler itself, even when the process stalls', async () => {
    const clock = new HostClock(1000 / 30);
    const released: number[] = [];
    const tasks = Array.from({ length: 12 }, async (_, i) => {
      // The clock's own release instants: when a task resumes after its slot depends on the scheduler.
      released.push(await clock.slot());
      // A synchronous stall of the whole process after some releases.
      if (i % 4 === 0) for (const end = performance.now() + 70; performance.now() < end; );
    });
    await Promise.all(tasks);
    released.sort((a, b) => a - b);
    const gaps = released.slice(1).map((t, i) => t - released[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30);
  }, 30_000);
});
