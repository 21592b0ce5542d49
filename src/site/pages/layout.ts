import { html, raw, type Html } from '../html.js';
import { MESSAGES } from '../i18n.js';
import type { Links } from '../links.js';

export interface Crumb {
  label: string;
  href?: string;
}

export interface PageOptions {
  links: Links;
  title: string;
  description?: string;
  body: Html;
  crumbs?: Crumb[];
  /** Extra elements in <head> (JSON-LD, import map). */
  head?: Html;
  /** Module scripts, as asset paths. */
  scripts?: string[];
  /**
   * A page that stands alone (report.html beside a release): the stylesheet is inlined and there is
   * no site navigation.
   */
  standalone?: { css: string };
}

/** The frame every page shares: language, skip link, header, breadcrumb, main landmark, footer. */
export function page(o: PageOptions): string {
  const { links } = o;
  const t = MESSAGES[links.lang];
  const other = links.lang === 'fr' ? 'en' : 'fr';
  const header = o.standalone
    ? html`<header class="site-header" role="banner"><div class="wrap"><span class="brand">villers</span></div></header>`
    : html`<header class="site-header" role="banner">
  <div class="wrap header-row">
    <a class="brand" href="${links.page('index.html')}"><span aria-hidden="true" class="brand-mark">v</span> villers <span class="brand-sub">${t.datasets}</span></a>
    <nav aria-label="${links.lang === 'fr' ? 'Langue' : 'Language'}" class="lang-switch">
      <a href="${links.counterpart()}" hreflang="${other}" lang="${other}" data-lang-switch>${t.otherLangLabel}</a>
    </nav>
  </div>
</header>`;
  const crumbs = o.crumbs?.length
    ? html`<nav aria-label="${links.lang === 'fr' ? 'Fil d’Ariane' : 'Breadcrumb'}" class="breadcrumb"><ol>${o.crumbs.map((c, i) =>
        c.href && i < o.crumbs!.length - 1 ? html`<li><a href="${c.href}">${c.label}</a></li>` : html`<li aria-current="page">${c.label}</li>`,
      )}</ol></nav>`
    : '';
  const doc = html`<!doctype html>
<html lang="${links.lang}" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
${o.description ? html`<meta name="description" content="${o.description}">` : ''}
${o.standalone ? html`<style>${raw(o.standalone.css)}</style>` : html`<link rel="stylesheet" href="${links.asset('site.css')}">
<link rel="alternate" hreflang="${other}" href="${links.counterpart()}">`}
${o.head ?? ''}
</head>
<body>
<a class="skip-link" href="#main">${t.skip}</a>
${header}
<main id="main" tabindex="-1">
<div class="wrap">
${crumbs}
${o.body}
</div>
</main>
<footer class="site-footer" role="contentinfo"><div class="wrap"><p>${t.footer}</p></div></footer>
${(o.scripts ?? []).map((s) => html`<script type="module" src="${links.asset(s)}"></script>`)}
</body>
</html>
`;
  return doc.value;
}
