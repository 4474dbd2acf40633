/**
 * One release host (release-host.ts) registered with a fresh collector under its own name, for
 * scenarios that break a real host and scan it through the REST API. `stop()` ends the
 * collector, the host (by pid) and removes the key and the working directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientKey, generateClientKey } from '@driftwatch/lab';
import { CollectorHarness, startCollector } from '../../support/collector-harness';
import { ReleaseHost } from './release-host';
import { PACKAGED, Release, RootFlavour, releaseRoot } from './release-roots';

export interface ScannedHostOptions {
  name: string;
  release: Release;
  address: string;
  flavour?: RootFlavour;
  /** journald in the host, Apache run as the unit apache2.service (ReleaseHostOptions.journal; the JOURNAL flavour). */
  journal?: boolean;
  /** systemd as the host's init (ReleaseHostOptions.init; the SYSTEMD flavour). */
  init?: 'systemd';
  /** More fields of the host registration (overrides…). */
  registration?: Record<string, unknown>;
}

export interface ScannedHost {
  name: string;
  host: ReleaseHost;
  collector: CollectorHarness;
  /** POST /hosts/NAME/scan: the scan's outcome. */
  scan(): Promise<{ status: string; changed: boolean; snapshotId?: number; findings?: { id: string }[] }>;
  /** GET /hosts/NAME/snapshots/latest. */
  latest(): Promise<{ id: number; checks: Record<string, { status: string; reason?: string; facts: any }>; findings: { id: string; severity: string; checkId: string; message: string }[] }>;
  stop(): Promise<void>;
}

export async function startScannedHost(options: ScannedHostOptions): Promise<ScannedHost> {
  const { name, release, address } = options;
  const work = mkdtempSync(join(tmpdir(), `driftwatch-${name}-`));
  const key: ClientKey = generateClientKey();
  let host: ReleaseHost | undefined;
  let collector: CollectorHarness | undefined;
  const stop = async () => {
    await collector?.close();
    await host?.stop();
    key.dispose();
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const root = await releaseRoot(release, options.flavour ?? PACKAGED);
    host = await ReleaseHost.start({ name, release, root: root.dir, address, user: 'ops', publicKey: key.publicKey, dir: join(work, name), journal: options.journal, init: options.init });
    collector = await startCollector();
    await collector
      .http()
      .post('/api/v1/hosts')
      .send({ name, address: host.address, port: host.sshPort, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, ...options.registration })
      .expect(201);
  } catch (error) {
    await stop();
    throw error;
  }
  const c = collector;
  return {
    name,
    host,
    collector: c,
    scan: async () => (await c.http().post(`/api/v1/hosts/${name}/scan`).expect(200)).body,
    latest: async () => (await c.http().get(`/api/v1/hosts/${name}/snapshots/latest`).expect(200)).body,
    stop,
  };
}
