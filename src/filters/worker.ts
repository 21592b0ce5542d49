import { createCleaner, type CleaningOptions } from './clean.js';
import { cleanLine } from './lines.js';

/**
 * Piscina worker of `villers filter`: cleans a batch of JSONL lines. The cleaner (and its fastText
 * model) is built once per thread.
 */
let cleaner: Promise<(text: string) => ReturnType<Awaited<ReturnType<typeof createCleaner>>>> | null = null;
let optionsKey = '';

export default async function cleanBatch(task: { lines: string[]; options: Partial<CleaningOptions> }): Promise<{ kept: string[]; rejected: string[]; reasons: Record<string, number> }> {
  const key = JSON.stringify(task.options);
  if (!cleaner || key !== optionsKey) {
    cleaner = createCleaner(task.options);
    optionsKey = key;
  }
  const clean = await cleaner;
  const kept: string[] = [];
  const rejected: string[] = [];
  const reasons: Record<string, number> = {};
  for (const line of task.lines) {
    const r = cleanLine(line, clean);
    if (r.kept !== undefined) kept.push(r.kept);
    else {
      rejected.push(r.rejected!);
      reasons[r.reason!] = (reasons[r.reason!] ?? 0) + 1;
    }
  }
  return { kept, rejected, reasons };
}
