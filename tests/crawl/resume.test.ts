import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { repoRoot } from '../helpers/samples.js';
import { serveSite, text, type TestSite } from './site.js';
import { readWarc } from './warc-read.js';

const cli = join(repoRoot, 'dist/cli/main.js');
const PAGES = Array.from({ length: 12 }, (_, i) => `/p${i}.html`);
let site: TestSite;
let hold = false;
let version = 'v1';
const held: ServerResponse[] = [];
let served = 0;
let dir: string;
let yamlPath: string;

function page(path: string) {
  return (req: import('node:http').IncomingMessage, res: ServerResponse) => {
    const etag = `"${version}-${path}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    // Once five pages went out, the site stops answering: the crawl is killed while it waits.
    if (hold && served >= 5) return void held.push(res);
    served++;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', etag });
    res.end(`<html><body><p>Page ${path}, version ${version}.</p></body></html>`);
  };
}

/** Runs `villers crawl`; with killAfter, SIGKILLs it once that many pages were fetched and a request hangs. */
function runCrawl(args: string[], killAfter?: number): Promise<{ outcomes: { outcome: string; url: string }[]; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'crawl', yamlPath, '--out', dir, '--json', '--quiet', ...args], { env: { ...process.env, NODE_ENV: 'test' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const outcomes: { outcome: string; url: string }[] = [];
    let killed = false;
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    createInterface({ input: child.stdout }).on('line', (line) => {
      outcomes.push(JSON.parse(line));
      if (killAfter !== undefined && outcomes.filter((o) => o.outcome === 'fetched').length >= killAfter && !killed) {
        const wait = setInterval(() => {
          if (held.length) {
            clearInterval(wait);
            killed = true;
            child.kill('SIGKILL');
          }
        }, 5);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => (killed || code === 0 ? resolve({ outcomes, killed }) : reject(new Error(`crawl exited ${code}: ${stderr}`))));
  });
}

beforeAll(async () => {
  site = await serveSite('127.0.0.1', {
    '/robots.txt': text(200, 'User-agent: *\nAllow: /\n'),
    '/': (_q, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGES.map((p) => `<a href="${p}">x</a>`).join('')),
  });
  for (const p of PAGES) site.routes.set(p, page(p));
  dir = mkdtempSync(join(tmpdir(), 'villers-resume-'));
  yamlPath = join(dir, 'site.yaml');
  writeFileSync(
    yamlPath,
    [
      'id: local-site', 'name: Local test site', 'connector: crawl', 'options:', `  seeds: ["${site.origin}/"]`,
      '  rate_per_host: 50', '  concurrency: 2', '  timeout_ms: 30000', '  allow_addresses: ["127.0.0.1"]', '',
    ].join('\n'),
  );
});

afterAll(async () => {
  for (const r of held) r.destroy();
  await site?.close();
});

describe.skipIf(!existsSync(cli))('a crawl killed mid-way (built CLI)', () => {
  it('resumes from its journal: no page fetched twice, none lost, each archived once', async () => {
    hold = true;
    const first = await runCrawl([], 5);
    expect(first.killed).toBe(true);
    hold = false;
    for (const r of held.splice(0)) r.destroy();
    const second = await runCrawl([]);

    const completed = new Map<string, number>();
    for (const h of site.hits) if (h.completed && h.path.startsWith('/p')) completed.set(h.path, (completed.get(h.path) ?? 0) + 1);
    expect([...completed.keys()].sort()).toEqual([...PAGES].sort());
    for (const [path, n] of completed) expect([path, n]).toEqual([path, 1]);

    const fetched = [...first.outcomes, ...second.outcomes].filter((o) => o.outcome === 'fetched').map((o) => new URL(o.url).pathname);
    expect(fetched.sort()).toEqual(['/', ...PAGES].sort());
    expect(second.outcomes.map((o) => new URL(o.url).pathname)).not.toContain('/p0.html');

    const responses = (await readWarc(dir)).filter((r) => r.type === 'response').map((r) => new URL(r.uri).pathname);
    expect(responses.sort()).toEqual(['/', ...PAGES].sort());
  }, 60_000);

  it('a refresh asks with If-None-Match and skips unchanged pages; changed ones are fetched again', async () => {
    // The index page sends no validators, so a refresh must fetch it again; the pages do.
    const pageResponses = async () => (await readWarc(dir)).filter((r) => r.type === 'response' && r.uri.includes('/p')).length;
    const before = await pageResponses();
    const same = await runCrawl(['--refresh']);
    expect(same.outcomes.filter((o) => o.url.includes('/p')).every((o) => o.outcome === 'unchanged')).toBe(true);
    expect(site.hits.filter((h) => h.path === '/p3.html').at(-1)!.headers['if-none-match']).toBe('"v1-/p3.html"');
    expect(await pageResponses()).toBe(before);

    version = 'v2';
    const changed = await runCrawl(['--refresh']);
    expect(changed.outcomes.filter((o) => o.outcome === 'fetched' && o.url.includes('/p'))).toHaveLength(PAGES.length);
  }, 60_000);
});
