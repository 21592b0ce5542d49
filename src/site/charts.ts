import { html, type Html } from './html.js';
import { formatNumber, MESSAGES, type Lang } from './i18n.js';

export interface Bar {
  label: string;
  value: number;
}

/**
 * A horizontal bar chart as inline SVG that reads without colour: every bar carries its label and its
 * value as text, the SVG has a title and a description for screen readers, and the numbers are also
 * given as a table.
 */
export function barChart(lang: Lang, options: { id: string; title: string; bars: Bar[]; unit?: string; shareOf?: number }): Html {
  const t = MESSAGES[lang];
  const { id } = options;
  const { bars } = options;
  // Shares are of the sum of the bars, or of a reference such as the documents a funnel started with.
  const total = options.shareOf ?? bars.reduce((a, b) => a + b.value, 0);
  const max = Math.max(1, ...bars.map((b) => b.value));
  // Drawn at about the size of a half-width column, so the text is read at its nominal size.
  const labelWidth = 170;
  const barArea = 260;
  const rowHeight = 30;
  const width = labelWidth + barArea + 130;
  const height = Math.max(1, bars.length) * rowHeight + 8;
  const unit = options.unit ?? t.documents.toLowerCase();
  const desc = t.chartDesc(
    bars.map((b) => `${b.label} ${formatNumber(lang, b.value)}`).join(' ; '),
    `${formatNumber(lang, total)} ${unit}`,
  );
  const rows = bars.map((b, i) => {
    const y = 4 + i * rowHeight;
    const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barArea));
    const share = total === 0 ? 0 : (b.value / total) * 100;
    return html`<g>
      <text x="${labelWidth - 10}" y="${y + 19}" text-anchor="end" class="chart-label">${truncate(b.label, 24)}</text>
      <rect x="${labelWidth}" y="${y + 5}" width="${w}" height="${rowHeight - 10}" class="chart-bar" />
      <text x="${labelWidth + w + 8}" y="${y + 19}" class="chart-value">${formatNumber(lang, b.value)} (${formatNumber(lang, share, 1)} %)</text>
    </g>`;
  });
  return html`<figure class="chart" id="${id}">
  <figcaption id="${id}-title">${options.title}</figcaption>
  <svg viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-svg-title ${id}-desc" focusable="false">
    <title id="${id}-svg-title">${options.title}</title>
    <desc id="${id}-desc">${desc}</desc>
    <line x1="${labelWidth}" y1="0" x2="${labelWidth}" y2="${height}" class="chart-axis" />
    ${rows}
  </svg>
  <details class="chart-data">
    <summary>${t.chartData}</summary>
    <table>
      <caption>${options.title}</caption>
      <thead><tr><th scope="col">${t.value}</th><th scope="col" class="num">${t.count}</th><th scope="col" class="num">${t.share}</th></tr></thead>
      <tbody>${bars.map(
        (b) =>
          html`<tr><th scope="row">${b.label}</th><td class="num">${formatNumber(lang, b.value)}</td><td class="num">${formatNumber(lang, total === 0 ? 0 : (b.value / total) * 100, 1)} %</td></tr>`,
      )}</tbody>
    </table>
  </details>
</figure>`;
}

function truncate(label: string, max: number): string {
  const chars = [...label];
  return chars.length <= max ? label : chars.slice(0, max - 1).join('') + '…';
}
