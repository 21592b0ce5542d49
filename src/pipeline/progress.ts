import cliProgress from 'cli-progress';
import type { Logger } from './log.js';

/**
 * Progress of a run, measured in input bytes (what connectors know in advance) and documents.
 * A bar on a terminal; JSON lines every few seconds elsewhere.
 */
export interface Progress {
  addTotal(bytes: number): void;
  advance(bytes: number): void;
  document(kept: boolean): void;
  stop(): void;
}

export const noProgress: Progress = { addTotal() {}, advance() {}, document() {}, stop() {} };

export function createProgress(label: string, logger: Logger, options: { tty?: boolean; intervalMs?: number } = {}): Progress {
  const tty = options.tty ?? Boolean(process.stderr.isTTY);
  let total = 0;
  let done = 0;
  let docs = 0;
  let kept = 0;
  const started = Date.now();
  if (tty) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} {bar} {percentage}% | {docs} docs, {kept} kept | {eta_formatted}`, hideCursor: true, stream: process.stderr },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { docs: 0, kept: 0 });
    const update = () => bar.update(done, { docs, kept });
    return {
      addTotal(bytes) { total += bytes; bar.setTotal(Math.max(total, 1)); },
      advance(bytes) { done += bytes; update(); },
      document(k) { docs++; if (k) kept++; if ((docs & 63) === 0) update(); },
      stop() { bar.update(done, { docs, kept }); bar.stop(); },
    };
  }
  const intervalMs = options.intervalMs ?? 5000;
  const report = () =>
    logger.event('progress', { label, bytes_done: done, bytes_total: total, docs, kept, elapsed_s: (Date.now() - started) / 1000 });
  const timer = setInterval(report, intervalMs);
  timer.unref();
  return {
    addTotal(bytes) { total += bytes; },
    advance(bytes) { done += bytes; },
    document(k) { docs++; if (k) kept++; },
    stop() { clearInterval(timer); report(); },
  };
}
