import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** `../shared/corpus-samples/` beside the checkout (override with VILLERS_SAMPLES). */
export const samplesDir = process.env.VILLERS_SAMPLES ?? resolve(repoRoot, '..', 'shared', 'corpus-samples');

/**
 * Whether the real payloads are here. Absent locally, tests that need them skip with a notice;
 * under CI=true their absence is a failure, so CI never passes by skipping.
 */
export function haveSamples(): boolean {
  if (existsSync(samplesDir)) return true;
  if (process.env.CI === 'true') throw new Error(`corpus samples missing at ${samplesDir} (required under CI=true)`);
  console.warn(`notice: ${samplesDir} not found; skipping tests on real payloads`);
  return false;
}

export function sample(...parts: string[]): string {
  return join(samplesDir, ...parts);
}

/**
 * Whether a service a test needs is running. Locally a missing service skips the test with a notice;
 * under CI=true (where .ci/run starts every service) it fails.
 */
export function requireService(name: string, running: boolean): boolean {
  if (running) return true;
  if (process.env.CI === 'true') throw new Error(`${name} is not running (required under CI=true; .ci/run starts it)`);
  console.warn(`notice: ${name} is not running; skipping`);
  return false;
}

/** Whether anything answers HTTP at `url` within two seconds (a service a test needs, started or not). */
export async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}
