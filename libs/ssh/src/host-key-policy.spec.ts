import { generateKeyPairSync } from 'node:crypto';
import { fingerprintOf } from './fingerprint';
import { decideHostKey } from './host-key-policy';
import { parseKnownHosts } from './known-hosts';

const KEY = Buffer.from('AAAAC3NzaC1lZDI1NTE5AAAAIIdAhIILqgCah7PEK/HzGwNrVwLEz9CePU2tqqUkJ7/P', 'base64');
const FP = fingerprintOf(KEY);
const OTHER_FP = fingerprintOf(Buffer.from(generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' })));

describe(decideHostKey.name, () => {
  it('accept-new: trusts an unpinned key, then only the pinned one', () => {
    expect(decideHostKey({ policy: 'accept-new', pinned: null }, 'h', 22, KEY)).toEqual({ accept: true });
    expect(decideHostKey({ policy: 'accept-new', pinned: FP }, 'h', 22, KEY)).toEqual({ accept: true });
    expect(decideHostKey({ policy: 'accept-new', pinned: OTHER_FP }, 'h', 22, KEY)).toEqual({ accept: false, reason: `h:22 presented ${FP}, not the pinned ${OTHER_FP}` });
  });

  it('pinned: never trusts without a pin', () => {
    expect(decideHostKey({ policy: 'pinned', pinned: null }, 'h', 22, KEY)).toEqual({
      accept: false,
      reason: `h:22 has no pinned host key, and its policy is "pinned" (presented ${FP})`,
    });
    expect(decideHostKey({ policy: 'pinned', pinned: FP }, 'h', 22, KEY)).toEqual({ accept: true });
  });

  it('known-hosts: only what the file lists, whatever is pinned', () => {
    const knownHosts = parseKnownHosts(`[h]:2222 ssh-ed25519 ${KEY.toString('base64')}\n`);
    const trust = { policy: 'known-hosts' as const, pinned: FP, knownHosts, knownHostsSource: '/etc/kh' };
    expect(decideHostKey(trust, 'h', 2222, KEY)).toEqual({ accept: true });
    expect(decideHostKey(trust, 'h', 22, KEY)).toEqual({ accept: false, reason: `/etc/kh has no entry for h (presented ${FP})` });
    expect(decideHostKey({ ...trust, knownHosts: [] }, 'h', 2222, KEY).accept).toBe(false);
  });
});
