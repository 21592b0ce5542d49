import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { haveSamples, repoRoot, sample } from '../helpers/samples.js';

const exec = promisify(execFile);
const cli = join(repoRoot, 'dist', 'cli', 'main.js');

async function villers(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec('node', [cli, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const lines = (s: string) => s.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

describe.skipIf(!haveSamples())('villers read', () => {
  it('prints one JSON line per document for each connector', async () => {
    const cases: [string, string, (docs: Record<string, unknown>[]) => void][] = [
      ['warc', sample('warc', 'dolma__sample-0001.warc.gz'), (d) => expect(d).toHaveLength(15)],
      ['wet', sample('wet', 'commoncrawl-whirlwind__whirlwind.warc.wet.gz'), (d) => expect(d[0]!.url).toBe('https://an.wikipedia.org/wiki/Escopete')],
      ['mediawiki', sample('mediawiki-xml', 'dbpedia__minidump-fr-wiki.xml.bz2'), (d) => expect(d.map((x) => x.title)).toEqual(['Antoine Meillet', 'Autriche', 'Berlin'])],
      ['gutenberg', sample('gutenberg', 'kalamine-corpus__fr_faust_1.txt'), (d) => expect(d[0]!.title).toBe('Faust [première partie]')],
      ['alto', sample('gallica-alto', 'OCR17plus__Racine1676_Andromaque_p0170.alto4.xml'), (d) => expect(d[0]!.text).toContain('ORESTE.')],
    ];
    for (const [connector, file, check] of cases) {
      const r = await villers('read', connector, file);
      expect(r.code, r.stderr).toBe(0);
      check(lines(r.stdout));
    }
  });

  it('stops after --limit documents; HTML documents show their byte count instead of raw bytes', async () => {
    const r = await villers('read', 'warc', sample('warc', 'dolma__sample-0001.warc.gz'), '--limit', '2');
    const docs = lines(r.stdout);
    expect(docs).toHaveLength(2);
    expect(docs[0]).not.toHaveProperty('raw');
    expect(docs[0]!.raw_bytes).toBeGreaterThan(1000);
    expect(r.stderr).toContain('read: 2 documents');
  });

  it('reports a corrupt record as a reject line on stderr and exits 0; a missing file is one error line, exit 1', async () => {
    const r = await villers('read', 'warc', sample('warc', 'warcio__example-trunc.warc'));
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^rejected warc\.bad_content_encoding /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const missing = await villers('read', 'mediawiki', '/nonexistent/dump.xml.bz2');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toEqual(['villers: no such file or folder: /nonexistent/dump.xml.bz2']);
    const unknown = await villers('read', 'nope', 'x');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('unknown connector "nope"');
  });

  it('passes connector options with -o (JSON values, dotted keys)', async () => {
    const r = await villers('read', 'mediawiki', sample('mediawiki-xml', 'dbpedia__minidump-fr-wiki.xml.bz2'), '-o', 'site_url=https://fr.wikipedia.org', '-o', 'namespaces=[1]');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const ok = await villers('read', 'mediawiki', sample('mediawiki-xml', 'dbpedia__minidump-fr-wiki.xml.bz2'), '-o', 'site_url=https://fr.wikipedia.org', '-n', '1');
    expect(lines(ok.stdout)[0]!.url).toBe('https://fr.wikipedia.org/wiki/Antoine_Meillet');
  });
});
