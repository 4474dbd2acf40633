/**
 * The collector's REST API as the drift scenarios use it: register a fleet host, scan it, read
 * its states, latest snapshot and diff. Every call goes through HTTP (supertest) and checks the
 * status code, so a scenario reads like what an operator would do with curl.
 */
import type { CollectorHarness } from '../../support/collector-harness';
import type { RealFleet, RealHost } from '../fleet/real-fleet';

import type { ScanOutcome } from '@driftwatch/scans';

export type { ScanOutcome };

export interface StateSummary {
  id: number;
  hash: string;
  firstSeenAt: string;
  lastSeenAt: string;
  seenCount: number;
}

export interface StatesPage {
  items: StateSummary[];
  total: number;
}

export interface CheckView {
  status: 'ok' | 'failed' | 'unavailable' | 'skipped';
  reason?: string;
  /** Read loosely (`any`): each scenario asserts the facts it is about, with exact values. */
  facts: any;
}

export interface FindingView {
  id: string;
  severity: 'info' | 'warning' | 'critical';
  checkId: string;
  message: string;
}

export interface LatestView extends StateSummary {
  checks: Record<string, CheckView>;
  findings: FindingView[];
}

export interface ChangeView {
  path: string;
  kind: 'added' | 'removed' | 'changed' | 'reordered' | 'unknown';
  before: unknown;
  after: unknown;
  category: string;
  severity: 'info' | 'warning' | 'critical';
  summary: string;
}

export interface DiffView {
  from: StateSummary | null;
  to: StateSummary;
  changes: ChangeView[];
}

export interface HostView {
  name: string;
  hostKey: string | null;
  [key: string]: unknown;
}

export class CollectorClient {
  constructor(private readonly c: CollectorHarness) {}

  /** Registers a fleet host (no host key: the first scan pins it), as POST /api/v1/hosts. */
  async register(fleet: RealFleet, host: RealHost, overrides: Record<string, string> = {}): Promise<HostView> {
    const body = {
      name: host.name,
      address: host.address,
      port: host.sshPort,
      username: fleet.user,
      auth: { type: 'key', privateKeyPath: fleet.privateKeyPath },
      labels: ['real-fleet'],
      overrides,
    };
    return (await this.c.http().post('/api/v1/hosts').send(body).expect(201)).body as HostView;
  }

  async host(name: string): Promise<HostView> {
    return (await this.c.http().get(`/api/v1/hosts/${name}`).expect(200)).body as HostView;
  }

  async patch(name: string, body: Record<string, unknown>): Promise<HostView> {
    return (await this.c.http().patch(`/api/v1/hosts/${name}`).send(body).expect(200)).body as HostView;
  }

  async scan(name: string): Promise<ScanOutcome> {
    return (await this.c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body as ScanOutcome;
  }

  async states(name: string): Promise<StatesPage> {
    return (await this.c.http().get(`/api/v1/hosts/${name}/snapshots`).expect(200)).body as StatesPage;
  }

  async latest(name: string): Promise<LatestView> {
    return (await this.c.http().get(`/api/v1/hosts/${name}/snapshots/latest`).expect(200)).body as LatestView;
  }

  async diff(name: string): Promise<DiffView> {
    return (await this.c.http().get(`/api/v1/hosts/${name}/diff`).expect(200)).body as DiffView;
  }

  /** The stored drift events of the transition into one state (GET /api/v1/hosts/:name/drift). */
  async driftInto(name: string, snapshotId: number): Promise<ChangeView[]> {
    const page = (await this.c.http().get(`/api/v1/hosts/${name}/drift?limit=500`).expect(200)).body as { items: (ChangeView & { toSnapshotId: number })[] };
    return page.items
      .filter((e) => e.toSnapshotId === snapshotId)
      .map(({ path, kind, before, after, category, severity, summary }) => ({ path, kind, before, after, category, severity, summary }) as ChangeView);
  }

  /** POST /api/v1/scans for these hosts, then GET /api/v1/scans/:id until the run is finished. */
  async runScan(hosts: string[], timeoutMs = 60_000): Promise<Record<string, unknown>> {
    const started = (await this.c.http().post('/api/v1/scans').send({ hosts }).expect(202)).body as { id: number };
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const progress = (await this.c.http().get(`/api/v1/scans/${started.id}`).expect(200)).body as Record<string, unknown>;
      if (progress.status !== 'running') return progress;
      if (Date.now() > deadline) throw new Error(`scan run ${started.id} still running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async raw(id: number): Promise<{ sections: { id: string; stdout: string; stderr: string; exitCode: number | null; meta: Record<string, string> }[] }> {
    return (await this.c.http().get(`/api/v1/snapshots/${id}/raw`).expect(200)).body;
  }
}

/** A change as the scenarios compare it: everything but the human summary. */
export type ComparableChange = Omit<ChangeView, 'summary'>;

/** The changes without their summaries, in a stable order (path, kind, values), for toEqual. */
export function comparable(changes: readonly ChangeView[]): ComparableChange[] {
  return changes.map(({ summary: _summary, ...rest }) => rest).sort(byPathKindValues);
}

/** Sorts expected changes the same way as `comparable`. */
export function sorted(changes: ComparableChange[]): ComparableChange[] {
  return [...changes].sort(byPathKindValues);
}

function byPathKindValues(x: ComparableChange, y: ComparableChange): number {
  const key = (c: ComparableChange) => [c.path, c.kind, JSON.stringify(c.before), JSON.stringify(c.after)].join('\u0000');
  return key(x) < key(y) ? -1 : key(x) > key(y) ? 1 : 0;
}

/** A finding as it appears in before/after of a `findings.<id>` change; the message is prose. */
export function finding(id: string, severity: FindingView['severity'], checkId: string): FindingView {
  return { id, severity, checkId, message: expect.any(String) as unknown as string };
}
