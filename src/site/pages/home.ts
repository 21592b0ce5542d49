import { html } from '../html.js';
import { formatBytes, formatDate, formatNumber, MESSAGES, resultsCount } from '../i18n.js';
import type { Links } from '../links.js';
import type { SiteData } from '../load.js';
import { page } from './layout.js';

/** Size classes of the size filter, by bytes of the latest version. */
export const SIZE_CLASSES = [
  { id: 'small', max: 100e6 },
  { id: 'medium', max: 10e9 },
  { id: 'large', max: Infinity },
] as const;

export function sizeClass(bytes: number): string {
  return SIZE_CLASSES.find((c) => bytes < c.max)!.id;
}

/**
 * Every dataset with its size, licences, sources and last update. The full list is plain HTML (it
 * works without JavaScript); search.js adds instant search and filters over the same items.
 */
export function homePage(site: SiteData, links: Links): string {
  const t = MESSAGES[links.lang];
  const { lang } = links;
  const licenses = [...new Set(site.datasets.flatMap((d) => Object.keys(d.latest.manifest.counts_by_license)))].sort();
  const sources = [...new Map(site.datasets.flatMap((d) => d.latest.manifest.sources.map((s) => [s.id, s.name] as const))).entries()].sort();
  const total = site.datasets.length;
  const items = site.datasets.map((d) => {
    const m = d.latest.manifest;
    const dsLicenses = Object.keys(m.counts_by_license).sort();
    const dsSources = m.sources;
    const searchText = [d.name, d.description ?? '', ...dsLicenses, ...dsSources.flatMap((s) => [s.id, s.name])].join(' ').toLowerCase();
    return html`<li class="dataset-card" data-search="${searchText}" data-licenses="${dsLicenses.join('|')}" data-sources="${dsSources.map((s) => s.id).join('|')}" data-size="${sizeClass(m.totals.bytes)}">
  <h3 class="card-title"><a href="${links.page(`datasets/${d.name}/index.html`)}">${d.name}</a> <span class="badge">v${m.version}</span></h3>
  ${d.description ? html`<p class="card-desc">${d.description}</p>` : ''}
  <dl class="figures">
    <div><dt>${t.documents}</dt><dd>${formatNumber(lang, m.totals.documents)}</dd></div>
    <div><dt>${t.words}</dt><dd>${d.latest.distributions.complete ? '' : '≈ '}${formatNumber(lang, d.latest.distributions.words)}</dd></div>
    <div><dt>${t.bytes}</dt><dd>${formatBytes(lang, m.totals.bytes)}</dd></div>
    <div><dt>${t.updated}</dt><dd><time datetime="${m.created}">${formatDate(lang, m.created)}</time></dd></div>
  </dl>
  <dl class="tags">
    <div><dt>${t.licenses}</dt><dd><ul class="chips">${dsLicenses.map((l) => html`<li>${l}</li>`)}</ul></dd></div>
    <div><dt>${t.sources}</dt><dd><ul class="chips">${dsSources.map((s) => html`<li>${s.name}</li>`)}</ul></dd></div>
  </dl>
</li>`;
  });
  const body = html`<div class="hero">
  <h1>${t.siteTitle}</h1>
  <p class="lead">${t.siteTagline}</p>
</div>
<section aria-labelledby="datasets-heading">
  <h2 id="datasets-heading">${t.datasets}</h2>
  <noscript><p class="note">${t.noJsNote}</p></noscript>
  <form class="filters" role="search" id="filters" hidden aria-label="${t.filters}">
    <div class="field field-search">
      <label for="q">${t.search}</label>
      <input type="search" id="q" name="q" autocomplete="off" aria-describedby="q-hint">
      <p id="q-hint" class="hint">${t.searchHint}</p>
    </div>
    <div class="field">
      <label for="f-license">${t.filterLicense}</label>
      <select id="f-license" name="license"><option value="">${t.any}</option>${licenses.map((l) => html`<option value="${l}">${l}</option>`)}</select>
    </div>
    <div class="field">
      <label for="f-source">${t.filterSource}</label>
      <select id="f-source" name="source"><option value="">${t.any}</option>${sources.map(([id, name]) => html`<option value="${id}">${name}</option>`)}</select>
    </div>
    <div class="field">
      <label for="f-size">${t.filterSize}</label>
      <select id="f-size" name="size"><option value="">${t.any}</option><option value="small">${t.sizeSmall}</option><option value="medium">${t.sizeMedium}</option><option value="large">${t.sizeLarge}</option></select>
    </div>
    <div class="field field-reset"><button type="reset" class="button-secondary">${t.reset}</button></div>
  </form>
  <p class="results-count" id="results-count" role="status" aria-live="polite" data-one="${t.resultsOne}" data-many="${t.resultsMany}">${resultsCount(lang, total, total)}</p>
  <ul class="dataset-list" id="dataset-list">${items}</ul>
  <p class="note" id="no-results" hidden>${t.noResults}</p>
</section>`;
  return page({
    links,
    title: t.siteTitle,
    description: t.siteTagline,
    body,
    scripts: ['search.js'],
  });
}
