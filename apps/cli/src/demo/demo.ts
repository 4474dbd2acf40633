import type { AddressInfo } from 'node:net';
import type { Change } from '@driftwatch/drift';
import type { AppConfig } from '@driftwatch/config';
import type { ScanRunProgress, SnapshotView } from '@driftwatch/scans';
import { LabFleet, LabProfile, centos7HttpdProfile, debian12EventProfile, debian12PreforkEmbeddedProfile, generateClientKey, withApacheVersion, withModule, withMpm } from '../../../lab/src';
import { createCollectorApp } from '../../../collector/src/bootstrap';
import { formatChanges } from '../output/format-changes';
import { ApiClient } from './api-client';

interface DemoHost {
  name: string;
  profile: () => LabProfile;
  /** How the demo changes the host between the two scans. */
  change: (profile: LabProfile) => LabProfile;
  story: string;
}

const HOSTS: DemoHost[] = [
  { name: 'demo-web-1', profile: debian12EventProfile, change: (p) => withModule(p, 'headers'), story: 'a2enmod headers' },
  { name: 'demo-web-2', profile: debian12PreforkEmbeddedProfile, change: (p) => withApacheVersion(p, '2.4.72'), story: 'apache2 upgraded to 2.4.72' },
  { name: 'demo-rhel-1', profile: centos7HttpdProfile, change: (p) => withMpm(p, 'event'), story: 'MPM switched prefork → event' },
];

async function scanAll(api: ApiClient, log: (line: string) => void): Promise<ScanRunProgress> {
  let run = await api.ok<ScanRunProgress>('POST', '/api/v1/scans', { labels: ['demo'] });
  while (run.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 100));
    run = await api.ok<ScanRunProgress>('GET', `/api/v1/scans/${run.id}`);
  }
  log(`scan run ${run.id}: ${run.done}/${run.total} done, ${JSON.stringify(run.counts)}, ${run.changed} changed`);
  return run;
}

function describe(snapshot: SnapshotView): string {
  const build = snapshot.checks['apache.build']?.facts as { version?: string; mpm?: string } | null;
  const modules = snapshot.checks['apache.modules']?.facts as { modules?: unknown[]; wsgiLoaded?: boolean } | null;
  return `Apache ${build?.version ?? '?'} (${build?.mpm ?? '?'} MPM), ${modules?.modules?.length ?? '?'} modules, mod_wsgi ${modules?.wsgiLoaded ? 'loaded' : 'not loaded'}, ${snapshot.findings.length} findings`;
}

/**
 * The README's first command: simulated hosts, the real collector on the configured database,
 * a scan, a change on every host, a second scan, and each host's drift.
 */
export async function runDemo(config: AppConfig, log: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  const key = generateClientKey({ comment: 'driftwatch-demo' });
  const fleet = await LabFleet.start({ count: HOSTS.length, profile: (i) => HOSTS[i].profile(), authorizedKey: key.publicKey });
  // The demo scans when it says so: no schedule of its own, no catching up on older demo hosts.
  const app = await createCollectorApp({ ...config, schedule: { ...config.schedule, all: null, labels: [] } }, { logger: false });
  try {
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as AddressInfo;
    const api = new ApiClient(`http://127.0.0.1:${port}`);
    log(`collector on http://127.0.0.1:${port} (${config.databaseUrl}); ${HOSTS.length} lab hosts on loopback\n`);

    for (const [i, host] of HOSTS.entries()) {
      await api.request('DELETE', `/api/v1/hosts/${host.name}`); // a previous demo's host, if any
      const lab = fleet.hosts[i];
      await api.ok('POST', '/api/v1/hosts', {
        name: host.name,
        address: lab.address,
        port: lab.port,
        username: 'demo',
        auth: { type: 'key', privateKeyPath: key.path },
        labels: ['demo'],
      });
    }

    log('== first scan (host keys pinned on first use)');
    await scanAll(api, log);
    for (const host of HOSTS) log(`  ${host.name}: ${describe(await api.ok<SnapshotView>('GET', `/api/v1/hosts/${host.name}/snapshots/latest`))}`);

    log('\n== changing the hosts');
    for (const [i, host] of HOSTS.entries()) {
      fleet.hosts[i].setProfile(host.change(host.profile()));
      log(`  ${host.name}: ${host.story}`);
    }

    log('\n== second scan');
    await scanAll(api, log);
    log('\n== drift per host (previous state → current state)');
    for (const host of HOSTS) {
      const diff = await api.ok<{ changes: Change[] }>('GET', `/api/v1/hosts/${host.name}/diff`);
      log(`${host.name} (${host.story}):\n${formatChanges(diff.changes)}`);
    }

    log('\n== third scan, nothing changed: no new state, seenCount grows');
    await scanAll(api, log);
    for (const host of HOSTS) {
      const page = await api.ok<{ total: number; items: { seenCount: number }[] }>('GET', `/api/v1/hosts/${host.name}/snapshots`);
      log(`  ${host.name}: ${page.total} states, current one seen ${page.items[0]?.seenCount} times`);
    }
  } finally {
    await app.close();
    await fleet.stop();
    key.dispose();
  }
}
