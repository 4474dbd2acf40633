import type { CheckResults } from '@driftwatch/checks';
import type { SnapshotContent } from '@driftwatch/snapshots';

/** One host as the summary sees it: its current state and the status of its last scan. */
export interface SummaryMember {
  content: SnapshotContent | null;
  /** null when the host was never scanned. */
  lastScanStatus: string | null;
}

/** How many hosts have each value; `unknown` hosts have no state or the check was not `ok`. */
export interface Distribution {
  values: { value: string; hosts: number }[];
  unknown: number;
}

export interface FleetSummary {
  hosts: number;
  apacheVersions: Distribution;
  mpms: Distribution;
  pythonVersions: Distribution;
  modWsgiVersions: Distribution;
  modes: Distribution;
  /** Hosts whose current state has each finding, by finding id. */
  findings: { id: string; severity: string; hosts: number }[];
  /** Hosts by the status of their last scan; `never` for hosts not scanned yet. */
  lastScanStatus: Record<string, number>;
}

type Plain = Record<string, unknown>;

/** A fact of an `ok` check as text, or undefined when unknown (or null on the host). */
function fact(checks: CheckResults | undefined, checkId: string, path: string[]): string | undefined {
  const result = checks?.[checkId];
  if (result?.status !== 'ok') return undefined;
  let value: unknown = result.facts;
  for (const key of path) value = value && typeof value === 'object' ? (value as Plain)[key] : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

function distribution(values: (string | undefined)[]): Distribution {
  const counts = new Map<string, number>();
  let unknown = 0;
  for (const v of values) {
    if (v === undefined) unknown++;
    else counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  const sorted = [...counts.entries()].sort(([a, x], [b, y]) => y - x || a.localeCompare(b, undefined, { numeric: true }));
  return { values: sorted.map(([value, hosts]) => ({ value, hosts })), unknown };
}

/** The fleet at a glance: what runs where, by how many hosts, from each host's current state. */
export function fleetSummary(members: SummaryMember[]): FleetSummary {
  const of = (checkId: string, ...path: string[]) => distribution(members.map((m) => fact(m.content?.checks, checkId, path)));
  const findings = new Map<string, { id: string; severity: string; hosts: number }>();
  for (const m of members) {
    for (const id of new Set((m.content?.findings ?? []).map((f) => f.id))) {
      const f = m.content!.findings.find((x) => x.id === id)!;
      const entry = findings.get(id) ?? { id, severity: f.severity, hosts: 0 };
      entry.hosts++;
      findings.set(id, entry);
    }
  }
  const lastScanStatus: Record<string, number> = {};
  for (const m of members) lastScanStatus[m.lastScanStatus ?? 'never'] = (lastScanStatus[m.lastScanStatus ?? 'never'] ?? 0) + 1;
  return {
    hosts: members.length,
    apacheVersions: of('apache.build', 'version'),
    mpms: of('apache.build', 'mpm'),
    pythonVersions: of('python.runtime', 'python', 'version'),
    modWsgiVersions: of('python.runtime', 'modWsgiVersion'),
    modes: of('python.runtime', 'mode'),
    findings: [...findings.values()].sort((a, b) => b.hosts - a.hosts || a.id.localeCompare(b.id)),
    lastScanStatus,
  };
}
