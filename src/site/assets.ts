import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The browser files (stylesheet, scripts), kept as plain files beside the generator's sources. */
export const BROWSER_DIR = fileURLToPath(new URL('../../src/site/browser/', import.meta.url));

/**
 * The libraries the preview runs in the browser, served as their own ES modules through an import
 * map: hyparquet reads Parquet over HTTP range requests, hyparquet-compressors brings zstd (fzstd)
 * and snappy (hysnappy). No CDN: the site carries them, with their licences.
 */
const VENDOR = [
  { name: 'hyparquet', dir: 'src', entry: 'src/index.js' },
  { name: 'hyparquet-compressors', dir: 'src', entry: 'src/index.js' },
  { name: 'fzstd', dir: 'esm', entry: 'esm/index.mjs' },
  { name: 'hysnappy', dir: 'js', entry: 'js/index.js' },
] as const;

/** Import map entries, relative to the site root's assets/ folder. */
export function vendorImports(assetHref: (path: string) => string): Record<string, string> {
  return Object.fromEntries(VENDOR.map((v) => [v.name, assetHref(`vendor/${v.name}/${v.entry}`)]));
}

export async function browserCss(): Promise<string> {
  return readFile(join(BROWSER_DIR, 'site.css'), 'utf8');
}

/** Copies the stylesheet, the scripts and the vendored modules into `<site>/assets/`. */
export async function writeAssets(siteDir: string): Promise<void> {
  const assets = join(siteDir, 'assets');
  await mkdir(assets, { recursive: true });
  for (const name of await readdir(BROWSER_DIR)) await copyFile(join(BROWSER_DIR, name), join(assets, name));
  let from = dirname(fileURLToPath(import.meta.url));
  for (const v of VENDOR) {
    const root = findPackage(v.name, from);
    const target = join(assets, 'vendor', v.name);
    await mkdir(join(target, v.dir), { recursive: true });
    for (const name of await readdir(join(root, v.dir))) {
      if (/\.m?js$/.test(name)) await copyFile(join(root, v.dir, name), join(target, v.dir, name));
    }
    for (const name of ['LICENSE', 'LICENSE.md', 'package.json']) {
      if (existsSync(join(root, name))) await copyFile(join(root, name), join(target, name));
    }
    if (v.name === 'hyparquet-compressors') from = root;
  }
}

/** The folder of an installed package, looked up the way Node does: node_modules folders upwards. */
function findPackage(name: string, from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(dir) === dir) throw new Error(`cannot find the package ${name} (needed by the site's preview); is it installed?`);
  }
}
