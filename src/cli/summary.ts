import type { RunResult } from '../pipeline/run.js';

function table(rows: (string | number)[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  return rows
    .map((r) => r.map((c, i) => (typeof c === 'number' ? String(c).padStart(widths[i]!) : String(c).padEnd(widths[i]!))).join('  '))
    .join('\n');
}

/** The end-of-run report: documents through each stage and why they left, licences, shards. */
export function formatSummary(result: RunResult): string {
  const { manifest } = result;
  const stageRows: (string | number)[][] = [['stage', 'in', 'out', 'rejected', 'ms']];
  const reasonRows: (string | number)[][] = [['reason', 'documents']];
  for (const [name, s] of Object.entries(manifest.stages)) {
    const rejected = Object.values(s.rejected).reduce((a, b) => a + b, 0);
    stageRows.push([name, s.in, s.out, rejected, Math.round(s.ms)]);
    for (const [reason, n] of Object.entries(s.rejected)) reasonRows.push([reason, n]);
  }
  const licenseRows: (string | number)[][] = [['license', 'documents'], ...Object.entries(manifest.counts_by_license)];
  const shardRows: (string | number)[][] = [['shard', 'rows', 'bytes', 'sha256'], ...manifest.shards.map((s) => [s.path, s.rows, s.bytes, s.sha256.slice(0, 16)])];
  return [
    `${manifest.dataset} ${manifest.version}: ${result.status} in ${result.releaseDir}`,
    '',
    table(stageRows),
    '',
    reasonRows.length > 1 ? table(reasonRows) : 'no document rejected',
    '',
    table(licenseRows),
    '',
    table(shardRows),
    '',
    `${manifest.totals.documents} documents, ${manifest.totals.bytes} bytes in ${manifest.shards.length} shards (${manifest.compression})`,
  ].join('\n');
}
