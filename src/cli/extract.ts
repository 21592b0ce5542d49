import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { extractPage } from '../extract/page.js';

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

export function registerExtract(program: Command): void {
  program
    .command('extract')
    .description('print the main text of an HTML page (raw bytes: the encoding is detected)')
    .argument('[file]', 'an HTML file; stdin when absent')
    .option('--json', 'print {text, metadata, license, charset} as JSON')
    .option('--url <url>', 'the page URL, to resolve relative canonical and licence links')
    .option('--charset <label>', 'the charset the transport named (HTTP Content-Type)')
    .option('--in <dir>', 'a folder of NAME.html files (with --out)')
    .option('--out <dir>', 'where NAME.txt (or NAME.json with --json) is written for each NAME.html')
    .action(async (file: string | undefined, opts: { json?: boolean; url?: string; charset?: string; in?: string; out?: string }) => {
      const o = { ...(opts.url ? { url: opts.url } : {}), ...(opts.charset ? { charset: opts.charset } : {}) };
      if (opts.in || opts.out) {
        if (!opts.in || !opts.out) throw new Error('--in and --out go together');
        await mkdir(opts.out, { recursive: true });
        const names = (await readdir(opts.in)).filter((n) => /\.html?$/i.test(n)).sort();
        for (const name of names) {
          const page = extractPage(await readFile(join(opts.in, name)), o);
          const stem = basename(name).replace(/\.html?$/i, '');
          await writeFile(join(opts.out, `${stem}.${opts.json ? 'json' : 'txt'}`), opts.json ? JSON.stringify(page) + '\n' : page.text + '\n');
        }
        process.stderr.write(`extract: ${names.length} page(s) → ${opts.out}\n`);
        return;
      }
      const bytes = file ? await readFile(file) : await readStdin();
      const page = extractPage(bytes, o);
      process.stdout.write(opts.json ? JSON.stringify(page) + '\n' : page.text + '\n');
    });
}
