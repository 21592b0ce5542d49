import { stringify as toYaml } from 'yaml';
import { barChart } from '../charts.js';
import type { Bin } from '../distributions.js';
import { html, type Html } from '../html.js';
import { colon, formatNumber, MESSAGES, type Lang } from '../i18n.js';
import type { Links } from '../links.js';
import type { VersionData } from '../load.js';
import { page, type Crumb } from './layout.js';

export type ReportData = Pick<VersionData, 'manifest' | 'stats' | 'rejectExamples' | 'distributions'>;

export interface ReportPageOptions {
  crumbs?: Crumb[];
  standalone?: { css: string };
}

/**
 * "How it was made": the funnel of documents through the stages, the reject reasons with examples,
 * the distributions a corpus is judged by, and the recipe. The site shows it per version and
 * `villers run` writes it beside each release as report.html.
 */
export function reportPage(v: ReportData, links: Links, options: ReportPageOptions = {}): string {
  const t = MESSAGES[links.lang];
  const { lang } = links;
  const m = v.manifest;
  const stages = v.stats?.stages ?? m.stages;
  const entries = Object.entries(stages);
  const started = entries[0]?.[1].in ?? 0;
  const reasons = entries
    .flatMap(([stage, s]) => Object.entries(s.rejected).map(([reason, count]) => ({ stage, reason, count })))
    .filter((r) => r.count > 0)
    .sort((a, b) => b.count - a.count);
  const d = v.distributions;
  const body = html`<article class="report">
<header class="page-head">
  <h1>${t.howMadeOf(m.dataset, m.version)}</h1>
  ${m.description ? html`<p class="lead">${m.description}</p>` : ''}
  <dl class="figures">
    <div><dt>${t.documents}</dt><dd>${formatNumber(lang, m.totals.documents)}</dd></div>
    ${v.stats?.villers_version ? html`<div><dt>${t.toolVersion}</dt><dd>${v.stats.villers_version}</dd></div>` : ''}
    ${v.stats?.duration_s !== undefined ? html`<div><dt>${t.duration}</dt><dd>${formatNumber(lang, v.stats.duration_s, 1)}&nbsp;${t.seconds}</dd></div>` : ''}
    ${v.stats?.recipe ? html`<div><dt>${t.recipeFile}</dt><dd><code>${v.stats.recipe}</code></dd></div>` : ''}
  </dl>
  ${v.stats ? '' : html`<p class="note">${t.noStats}</p>`}
</header>

<section id="funnel" aria-labelledby="funnel-h">
  <h2 id="funnel-h">${t.funnel}</h2>
  <p>${t.funnelIntro}</p>
  ${barChart(lang, { id: 'chart-funnel', title: t.funnelChart, bars: entries.map(([name, s]) => ({ label: name, value: s.out })), shareOf: started })}
  <div class="table-scroll" tabindex="0" role="region" aria-labelledby="funnel-caption">
  <table>
    <caption id="funnel-caption">${t.funnel}</caption>
    <thead><tr><th scope="col">${t.stage}</th><th scope="col" class="num">${t.in}</th><th scope="col" class="num">${t.out}</th><th scope="col" class="num">${t.rejected}</th><th scope="col" class="num">${t.time}</th></tr></thead>
    <tbody>${entries.map(
      ([name, s]) => html`<tr><th scope="row"><code>${name}</code></th><td class="num">${formatNumber(lang, s.in)}</td><td class="num">${formatNumber(lang, s.out)}</td><td class="num">${formatNumber(
        lang,
        Object.values(s.rejected).reduce((a, b) => a + b, 0),
      )}</td><td class="num">${formatNumber(lang, s.ms, 1)}&nbsp;ms</td></tr>`,
    )}</tbody>
  </table>
  </div>
</section>

<section id="rejects" aria-labelledby="rejects-h">
  <h2 id="rejects-h">${t.rejectReasons}</h2>
  ${
    reasons.length === 0
      ? html`<p>${t.noRejects}</p>`
      : html`<p>${t.rejectIntro}</p>
  <ul class="reasons">${reasons.map((r) => reasonItem(lang, r, v.rejectExamples[r.reason] ?? []))}</ul>`
  }
</section>

<section id="distributions" aria-labelledby="distributions-h">
  <h2 id="distributions-h">${t.distributions}</h2>
  <p>${t.distributionsSample(formatNumber(lang, d.rows), d.complete)}</p>
  <div class="chart-grid">
    ${barChart(lang, { id: 'chart-length', title: t.lengthChart, bars: binBars(lang, d.length, 0) })}
    ${barChart(lang, { id: 'chart-lang-score', title: t.langScoreChart, bars: binBars(lang, d.lang_score, 1) })}
    ${barChart(lang, { id: 'chart-cluster', title: t.clusterChart, bars: binBars(lang, d.cluster_size, 0, true) })}
    ${Object.entries(d.signals).map(([name, bins], i) => barChart(lang, { id: `chart-signal-${i}`, title: t.signalChart(name), bars: binBars(lang, bins, 2) }))}
  </div>
  ${d.lang_score_missing > 0 ? html`<p class="muted">${t.langScoreMissing(formatNumber(lang, d.lang_score_missing))}</p>` : ''}
</section>

<section id="recipe" aria-labelledby="recipe-h">
  <h2 id="recipe-h">${t.recipe}</h2>
  ${v.stats?.recipe_sha256 ?? m.recipe_sha256 ? html`<p>${t.recipeSha}${colon(lang)}<code class="sha">${v.stats?.recipe_sha256 ?? m.recipe_sha256}</code></p>` : ''}
  ${html`<p>${t.recipeStages}</p><pre class="code" tabindex="0" aria-labelledby="recipe-h"><code class="language-yaml">${toYaml({ sources: m.sources.map((s) => s.id), stages: m.filters, output: { config: m.config, compression: m.compression } })}</code></pre>`}
</section>
</article>`;
  return page({
    links,
    title: `${t.howMadeOf(m.dataset, m.version)} — ${t.siteTitle}`,
    body,
    crumbs: options.crumbs,
    standalone: options.standalone,
  });
}

function reasonItem(lang: Lang, r: { stage: string; reason: string; count: number }, examples: VersionData['rejectExamples'][string]): Html {
  const t = MESSAGES[lang];
  return html`<li class="reason">
  <h3><code>${r.reason}</code> <span class="count">${t.documentCount(formatNumber(lang, r.count), r.count)}</span></h3>
  ${
    examples.length === 0
      ? html`<p class="muted">${t.noExample}</p>`
      : html`<details><summary>${t.examples} (${examples.length})</summary><ul class="examples">${examples.map(
          (e) => html`<li>
      <p class="example-head"><code>${e.id}</code>${e.title ? html` — <span${e.lang ? html` lang="${e.lang}"` : ''}>${e.title}</span>` : ''}</p>
      ${e.excerpt ? html`<blockquote${e.lang ? html` lang="${e.lang}"` : ''}>${e.excerpt}</blockquote>` : ''}
      ${e.detail ? html`<p class="muted">${t.detail}${colon(lang)}<code>${e.detail}</code></p>` : ''}
    </li>`,
        )}</ul></details>`
  }
</li>`;
}

function binBars(lang: Lang, bins: Bin[], digits: number, integers = false): { label: string; value: number }[] {
  const f = (n: number) => formatNumber(lang, n, digits);
  return bins.map((b) => {
    let label: string;
    if (b.hi === null) label = `≥ ${f(b.lo)}`;
    else if (b.hi === b.lo) label = f(b.lo);
    else if (integers && b.hi - b.lo === 1) label = f(b.lo);
    else if (integers) label = `${f(b.lo)}–${f(b.hi - 1)}`;
    else label = `${f(b.lo)}–${f(b.hi)}`;
    return { label, value: b.count };
  });
}
