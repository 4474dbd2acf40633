import { LabFleet, debian12EventProfile, generateClientKey, spreadOverLoopback } from '@driftwatch/lab';
import { Target } from './target';

/** N lab hosts (ssh2 servers running the real probe over stub tools) in this process. */
export async function startLabTarget(count: number): Promise<Target> {
  const key = generateClientKey({ comment: 'driftwatch-bench' });
  const fleet = await LabFleet.start({ count, profile: () => debian12EventProfile(), authorizedKey: key.publicKey, address: spreadOverLoopback });
  return {
    kind: 'lab',
    username: 'bench',
    privateKeyPath: key.path,
    hosts: fleet.hosts.map((h, i) => ({ name: `h${String(i + 1).padStart(4, '0')}`, address: h.address, port: h.port, hostKey: h.hostKeyFingerprint })),
    stop: async () => {
      await fleet.stop();
      key.dispose();
    },
  };
}
