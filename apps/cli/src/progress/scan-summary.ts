import { renderTable } from '../output/table';

export interface ScanResultLine {
  host: string;
  status: string;
  changed: boolean;
  durationMs: number;
}

/** Statuses a summary shows in columns of their own; every other status counts as failed. */
const OWN_COLUMN = new Set(['ok', 'partial', 'unreachable']);

export interface ScanTotals {
  ok: number;
  partial: number;
  changed: number;
  unreachable: number;
  failed: number;
  total: number;
}

export function totalsOf(scans: ScanResultLine[]): ScanTotals {
  const count = (status: string) => scans.filter((s) => s.status === status).length;
  return {
    ok: count('ok'),
    partial: count('partial'),
    changed: scans.filter((s) => s.changed).length,
    unreachable: count('unreachable'),
    failed: scans.filter((s) => !OWN_COLUMN.has(s.status)).length,
    total: scans.length,
  };
}

/** The end of a scan: counts per outcome, then the slowest hosts. */
export function renderScanSummary(scans: ScanResultLine[], slowest = 5): string {
  const t = totalsOf(scans);
  const counts = renderTable(['OK', 'PARTIAL', 'CHANGED', 'UNREACHABLE', 'FAILED', 'TOTAL'], [[t.ok, t.partial, t.changed, t.unreachable, t.failed, t.total]]);
  const slow = [...scans].sort((a, b) => b.durationMs - a.durationMs || a.host.localeCompare(b.host)).slice(0, slowest);
  const slowTable = renderTable(['SLOWEST', 'MS', 'STATUS'], slow.map((s) => [s.host, s.durationMs, s.status]));
  return `${counts}\n\n${slowTable}`;
}
