import { ClientKey, closedPort, LabFleet, LabHost, debian12EventProfile, generateClientKey, withModule } from '@driftwatch/lab';
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

/**
 * One lab host (the Debian 12 event profile) with a fresh client key for the enclosing describe
 * block: started before its tests, stopped after. Call the getters inside tests.
 */
export function useLabHost(): { lab: () => LabHost; key: () => ClientKey } {
  let key: ClientKey | undefined;
  let lab: LabHost | undefined;
  beforeAll(async () => {
    key = generateClientKey();
    lab = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
  });
  afterAll(async () => {
    await lab?.stop();
    key?.dispose();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the lab host is not started yet');
    return value;
  };
  return { lab: () => started(lab), key: () => started(key) };
}
