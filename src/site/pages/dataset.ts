import { barChart } from '../charts.js';
import { html, jsonForScript, type Html } from '../html.js';
import { colon, formatBytes, formatDate, formatNumber, MESSAGES } from '../i18n.js';
import { dataForCode, isAbsoluteUrl, type Links } from '../links.js';
import type { DatasetData, VersionData } from '../load.js';
import { page } from './layout.js';
import { bibtex, loadSnippets } from './snippets.js';

export interface DatasetPageOptions {
  /** Import map for the browser modules (hyparquet and its decompressors). */
  importMap: Record<string, string>;
}

/** Everything a researcher needs to judge and load one dataset, for its latest version. */
export function datasetPage(d: DatasetData, links: Links, options: DatasetPageOptions): string {
  const t = MESSAGES[links.lang];
  const { lang } = links;
  const v = d.latest;
  const m = v.manifest;
  const versionBase = dataForCode(links, v.dir);
  const catalogUrl = dataForCode(links, 'catalog.json');
  const toc = [
    ['versions', t.versions],
    ['charts', `${t.licenses} · ${t.sources}`],
    ['shards', t.shards],
    ['load', t.howToLoad],
    ['preview', t.preview],
    ['cite', t.cite],
    ['attribution', t.attribution],
  ] as const;
  const body = html`<article class="dataset">
<header class="page-head">
  <h1>${m.pretty_name} <span class="badge">v${m.version}</span></h1>
  ${m.pretty_name !== d.name ? html`<p class="muted"><code>${d.name}</code></p>` : ''}
  ${d.description ? html`<p class="lead">${d.description}</p>` : ''}
  <dl class="figures figures-large">
    <div><dt>${t.documents}</dt><dd>${formatNumber(lang, m.totals.documents)}</dd></div>
    <div><dt>${t.words}</dt><dd>${v.distributions.complete ? '' : '≈ '}${formatNumber(lang, v.distributions.words)}</dd></div>
    <div><dt>${t.bytes}</dt><dd>${formatBytes(lang, m.totals.bytes)}</dd></div>
    <div><dt>${t.licenses}</dt><dd>${Object.keys(m.counts_by_license).length}</dd></div>
    <div><dt>${t.sources}</dt><dd>${m.sources.length}</dd></div>
    <div><dt>${t.publisher}</dt><dd>${m.publisher}</dd></div>
    <div><dt>${t.updated}</dt><dd><time datetime="${m.created}">${formatDate(lang, m.created)}</time></dd></div>
  </dl>
  <p class="actions">
    <a class="button" href="${links.page(`datasets/${d.name}/${m.version}/index.html`)}">${t.howMadeLink(m.version)}</a>
    <a class="button-secondary" href="${links.data(v.catalogEntry.manifest)}">manifest.json</a>
  </p>
</header>
<nav class="toc" aria-label="${lang === 'fr' ? 'Sommaire' : 'Contents'}"><ul>${toc.map(([id, label]) => html`<li><a href="#${id}">${label}</a></li>`)}</ul></nav>

<section id="versions" aria-labelledby="versions-h">
  <h2 id="versions-h">${t.versions}</h2>
  <ol class="versions" reversed>${[...d.versions].reverse().map((ver) => versionItem(ver, d, links))}</ol>
</section>

<section id="charts" aria-labelledby="charts-h">
  <h2 id="charts-h">${t.licenses} · ${t.sources}</h2>
  <div class="chart-grid">
    ${barChart(lang, { id: 'chart-licenses', title: t.byLicense, bars: Object.entries(m.counts_by_license).map(([label, value]) => ({ label, value })) })}
    ${barChart(lang, {
      id: 'chart-sources',
      title: t.bySource,
      bars: Object.entries(m.counts_by_source).map(([id, value]) => ({ label: m.sources.find((s) => s.id === id)?.name ?? id, value })),
    })}
  </div>
</section>

<section id="shards" aria-labelledby="shards-h">
  <h2 id="shards-h">${t.shards}</h2>
  <div class="table-scroll" tabindex="0" role="region" aria-labelledby="shards-caption">
  <table class="shards">
    <caption id="shards-caption">${t.shardsCaption} (${m.compression})</caption>
    <thead><tr><th scope="col">${t.file}</th><th scope="col" class="num">${t.rows}</th><th scope="col" class="num">${t.bytes}</th><th scope="col">SHA-256</th><th scope="col">${t.download}</th></tr></thead>
    <tbody>${m.shards.map(
      (s) => html`<tr>
      <th scope="row"><code>${s.path}</code></th>
      <td class="num">${formatNumber(lang, s.rows)}</td>
      <td class="num">${formatBytes(lang, s.bytes)}</td>
      <td><code class="sha">${s.sha256}</code></td>
      <td><a href="${links.data(v.dir + s.path)}" download data-sha256="${s.sha256}" aria-label="${t.downloadFile(s.path)}">${t.download}</a></td>
    </tr>`,
    )}</tbody>
  </table>
  </div>
  ${m.files.length ? html`<h3 id="files-h">${t.otherFiles}</h3><ul class="files" aria-labelledby="files-h">${m.files.map((f) => html`<li><a href="${links.data(v.dir + f.path)}">${f.path}</a> <span class="muted">${formatBytes(lang, f.bytes)} · SHA-256 <code class="sha">${f.sha256}</code></span></li>`)}</ul>` : ''}
</section>

<section id="load" aria-labelledby="load-h">
  <h2 id="load-h">${t.howToLoad}</h2>
  ${isAbsoluteUrl(versionBase) ? '' : html`<p class="note">${t.relativePaths}</p>`}
  ${loadSnippets(m, versionBase, catalogUrl).map(
    (s, i) => html`<h3 id="load-${i}">${s.tool}</h3><pre class="code" tabindex="0" aria-labelledby="load-${i}"><code class="language-${s.language}">${s.code}</code></pre>`,
  )}
</section>

<section id="preview" aria-labelledby="preview-h">
  <h2 id="preview-h">${t.preview}</h2>
  <p>${t.previewIntro}</p>
  <noscript><p class="note">${t.previewNoJs}</p></noscript>
  ${
    m.shards[0]
      ? html`<div class="preview" data-preview data-url="${links.data(v.dir + m.shards[0].path)}" data-bytes="${m.shards[0].bytes}" data-file="${m.shards[0].path}" data-rows="5"
      data-msg-loading="${t.previewLoading}" data-msg-failed="${t.previewFailed}" data-msg-caption="${t.previewCaption(5, m.shards[0].path)}"
      data-col-id="id" data-col-title="${t.title}" data-col-text="${t.text}" data-col-license="${t.license}" data-col-lang="${t.lang}" data-col-source="${t.source}" aria-live="polite"></div>`
      : ''
  }
</section>

<section id="cite" aria-labelledby="cite-h">
  <h2 id="cite-h">${t.cite}</h2>
  <pre class="code" tabindex="0" aria-labelledby="cite-h"><code class="language-bibtex">${bibtex(m, dataForCode(links, v.catalogEntry.manifest))}</code></pre>
</section>

<section id="attribution" aria-labelledby="attribution-h">
  <h2 id="attribution-h">${t.attribution}</h2>
  <p>${t.attributionIntro}</p>
  <ul class="attribution">${m.sources.map((s) => {
    const credit = m.attribution.find((a) => a.source === s.id);
    return html`<li><strong>${s.name}</strong> (<code>${s.id}</code>)${colon(lang)}${t.license} ${credit?.licenses.join(', ') ?? s.license ?? '—'}${
      credit?.authors.length ? html`; ${t.authors}${colon(lang)}${credit.authors.join(', ')}` : ''
    }${s.license_evidence ? html`; ${t.licenseEvidence}${colon(lang)}${linkOrText(s.license_evidence)}` : ''}${s.homepage ? html`; ${t.homepage}${colon(lang)}${linkOrText(s.homepage)}` : ''}</li>`;
  })}</ul>
  <p>${t.licenseExpression}${colon(lang)}<code>${m.license.expression}</code>${m.license.share_alike ? html` — ${t.shareAlike(m.license.share_alike)}` : ''}</p>
  ${m.license.notes.length ? html`<ul>${m.license.notes.map((n) => html`<li>${n}</li>`)}</ul>` : ''}
</section>
</article>`;
  const head = html`${v.croissant ? html`<script type="application/ld+json">${jsonForScript(v.croissant)}</script>` : ''}
<script type="importmap">${jsonForScript({ imports: options.importMap })}</script>`;
  return page({
    links,
    title: `${d.name} ${m.version} — ${t.siteTitle}`,
    description: d.description,
    body,
    head,
    crumbs: [{ label: t.home, href: links.page('index.html') }, { label: d.name }],
    scripts: ['preview.js'],
  });
}

function versionItem(v: VersionData, d: DatasetData, links: Links): Html {
  const t = MESSAGES[links.lang];
  const { lang } = links;
  const m = v.manifest;
  const c = m.changes;
  const bySource = Object.entries(c.by_source);
  return html`<li class="version">
  <h3><span class="version-number">${m.version}</span> <span class="badge">${t.bump[c.bump]}</span> <time datetime="${m.created}">${formatDate(lang, m.created)}</time></h3>
  <p class="muted">${formatNumber(lang, m.totals.documents)} ${t.documents.toLowerCase()} · ${formatBytes(lang, m.totals.bytes)} · ${m.license.expression}</p>
  <p>${c.previous_version ? t.sincePrevious(c.previous_version) : ''}${t.changeCounts(formatNumber(lang, c.added), formatNumber(lang, c.removed), formatNumber(lang, c.changed))} <span class="muted">(${c.reason})</span></p>
  ${
    bySource.length > 1 || c.removed > 0 || c.changed > 0
      ? html`<div class="table-scroll" tabindex="0" role="region" aria-label="${t.changes} ${m.version}"><table>
    <caption>${t.changes} ${m.version}</caption>
    <thead><tr><th scope="col">${t.source}</th><th scope="col" class="num">${t.added}</th><th scope="col" class="num">${t.removed}</th><th scope="col" class="num">${t.changed}</th></tr></thead>
    <tbody>${bySource.map(([id, delta]) => html`<tr><th scope="row">${id}</th><td class="num">${formatNumber(lang, delta.added)}</td><td class="num">${formatNumber(lang, delta.removed)}</td><td class="num">${formatNumber(lang, delta.changed)}</td></tr>`)}</tbody>
  </table></div>`
      : ''
  }
  ${c.takedowns.length ? html`<ul class="changes">${c.takedowns.map((k) => html`<li>${t.takedown(k.entry.id ?? k.entry.url_prefix ?? k.entry.source ?? '', k.entry.reason, formatNumber(lang, k.removed))}</li>`)}</ul>` : ''}
  ${v.changelog ? html`<details class="changelog"><summary>${t.notes} (CHANGELOG.md)</summary><pre>${v.changelog}</pre></details>` : ''}
  <p><a href="${links.page(`datasets/${d.name}/${m.version}/index.html`)}">${t.howMadeLink(m.version)}</a></p>
</li>`;
}

function linkOrText(s: string): Html {
  return /^https?:\/\//.test(s) ? html`<a href="${s}">${s}</a>` : html`<span>${s}</span>`;
}
