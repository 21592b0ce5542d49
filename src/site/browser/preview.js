// The preview of a dataset page: the first rows of its first shard, read in the browser by hyparquet
// through HTTP range requests (only the footer and the needed column chunks are downloaded).
import { asyncBufferFromUrl, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const COLUMNS = ['id', 'title', 'text', 'license', 'lang', 'source'];
const EXCERPT = 240;

for (const el of document.querySelectorAll('[data-preview]')) preview(el);

async function preview(el) {
  const d = el.dataset;
  const status = document.createElement('p');
  status.className = 'muted';
  status.textContent = d.msgLoading;
  el.replaceChildren(status);
  try {
    const url = new URL(d.url, location.href).href;
    const file = await asyncBufferFromUrl({ url, byteLength: Number(d.bytes) });
    const rows = await parquetReadObjects({ file, compressors, columns: COLUMNS, rowEnd: Number(d.rows), utf8: true });
    el.replaceChildren(table(d, rows));
    el.dataset.loaded = String(rows.length);
  } catch (e) {
    status.className = 'error';
    status.textContent = `${d.msgFailed} ${e instanceof Error ? e.message : String(e)}`;
    el.dataset.failed = 'true';
  }
}

function table(d, rows) {
  const region = document.createElement('div');
  region.className = 'table-scroll';
  region.tabIndex = 0;
  region.setAttribute('role', 'region');
  region.setAttribute('aria-label', d.msgCaption);
  const t = document.createElement('table');
  t.className = 'preview-table';
  const caption = t.createCaption();
  caption.textContent = d.msgCaption;
  const head = t.createTHead().insertRow();
  for (const c of COLUMNS) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = d[`col${c[0].toUpperCase()}${c.slice(1)}`] ?? c;
    head.append(th);
  }
  const body = t.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    for (const c of COLUMNS) {
      const cell = c === 'id' ? document.createElement('th') : tr.insertCell();
      if (c === 'id') {
        cell.scope = 'row';
        tr.append(cell);
      }
      let value = row[c] == null ? '—' : String(row[c]);
      if (c === 'text' && [...value].length > EXCERPT) value = [...value].slice(0, EXCERPT).join('') + '…';
      if ((c === 'text' || c === 'title') && typeof row.lang === 'string' && /^[a-z]{2,3}$/.test(row.lang)) cell.lang = row.lang;
      if (c === 'text') cell.className = 'text-cell';
      cell.textContent = value;
    }
  }
  region.append(t);
  return region;
}
