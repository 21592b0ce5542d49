import type { Lang } from './i18n.js';

/** Where the site's pages are, relative to its root: French at the root, English under `en/`. */
export function pageFile(lang: Lang, path: string): string {
  return lang === 'fr' ? path : `en/${path}`;
}

/**
 * Links from one page. Every link is relative (and names index.html), so the site works from a
 * folder opened in a browser as well as from any static host; data links may be absolute when the
 * data lives elsewhere.
 */
export class Links {
  readonly file: string;
  private readonly up: string;

  constructor(
    readonly lang: Lang,
    /** The page's path without the language prefix, e.g. `datasets/demo/index.html`. */
    readonly path: string,
    /** The data's base: an absolute URL, or a path relative to the site root; ends with `/`. */
    private readonly dataBase: string,
  ) {
    this.file = pageFile(lang, path);
    this.up = '../'.repeat(this.file.split('/').length - 1);
  }

  /** A page of the same language. */
  page(path: string): string {
    return this.up + pageFile(this.lang, path);
  }

  /** The same page in the other language. */
  counterpart(): string {
    return this.up + pageFile(this.lang === 'fr' ? 'en' : 'fr', this.path);
  }

  asset(path: string): string {
    return `${this.up}assets/${path}`;
  }

  /** A file of the catalog (shards, manifests), by its path relative to catalog.json. */
  data(path: string): string {
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    return isAbsoluteUrl(this.dataBase) ? new URL(encoded, this.dataBase).href : this.up + this.dataBase + encoded;
  }
}

/**
 * A catalog file's address for code a reader copies (load snippets, citations): absolute when the
 * data's URL is known, else relative to the folder that holds catalog.json, never to the page.
 */
export function dataForCode(links: Links, path: string): string {
  const href = links.data(path);
  return isAbsoluteUrl(href) ? href : path;
}

export function isAbsoluteUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(s);
}
