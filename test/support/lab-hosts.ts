import { ClientKey, closedPort, LabFleet, debian12EventProfile, generateClientKey, withModule } from '@driftwatch/lab';
import { CollectorHarness } from './collector-harness';

export interface RegisteredLab {
  fleet: LabFleet;
  key: ClientKey;
  /** Names of the lab hosts, then the one unreachable host. */
  names: string[];
  stop(): Promise<void>;
}

/**
 * `count` lab hosts (every other one with mod_headers loaded, so hosts differ) plus one host
 * whose port is closed, all registered with the collector under the label `lab`.
 */
export async function registerLabHosts(c: CollectorHarness, count: number): Promise<RegisteredLab> {
  const key = generateClientKey();
  const fleet = await LabFleet.start({
    count,
    authorizedKey: key.publicKey,
    profile: (i) => (i % 2 ? withModule(debian12EventProfile(), 'headers') : debian12EventProfile()),
  });
  const names: string[] = [];
  const register = async (name: string, port: number) => {
    await c
      .http()
      .post('/api/v1/hosts')
      .send({ name, address: '127.0.0.1', port, username: 'ops', auth: { type: 'key', privateKeyPath: key.path }, labels: ['lab'] })
      .expect(201);
    names.push(name);
  };
  for (const [i, host] of fleet.hosts.entries()) await register(`lab-${i + 1}`, host.port);
  await register('gone-1', await closedPort());
  return {
    fleet,
    key,
    names,
    stop: async () => {
      await fleet.stop();
      key.dispose();
    },
  };
}
