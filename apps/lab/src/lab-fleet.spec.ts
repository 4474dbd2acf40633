import { SshTransport } from '@driftwatch/ssh';
import { existsSync } from 'node:fs';
import { ClientKey, generateClientKey } from './keys/client-key';
import { LabFleet, spreadOverLoopback } from './lab-fleet';
import { centos7HttpdProfile } from './profiles/centos-7.profile';
import { debian12EventProfile } from './profiles/debian-12.profile';
import { LIMITS, targetFor } from './testing/transport-kit';

jest.setTimeout(30_000); // real SSH handshakes and processes; generous for loaded CI machines

describe(LabFleet.name, () => {
  let key: ClientKey;

  beforeAll(() => {
    key = generateClientKey();
  });
  afterAll(() => key.dispose());

  it('starts many hosts with their own keys and endpoints, sharing one tree per profile, and removes it all on stop', async () => {
    const profiles = [debian12EventProfile(), centos7HttpdProfile()];
    const sut = await LabFleet.start({ count: 24, profile: (i) => profiles[i % 2], authorizedKey: key.publicKey, address: spreadOverLoopback });
    try {
      expect(sut.hosts).toHaveLength(24);
      expect(new Set(sut.hosts.map((h) => `${h.address}:${h.port}`)).size).toBe(24);
      expect(new Set(sut.hosts.map((h) => h.hostKeyFingerprint)).size).toBe(24);
      expect(new Set(sut.hosts.map((h) => h.dir)).size).toBe(2);
      expect(sut.hosts[0].address).toBe('127.0.1.1');

      const transport = new SshTransport();
      const [first, last] = [sut.hosts[0], sut.hosts[23]];
      const debian = await transport.exec(targetFor(first, key), 'apache2ctl -v', '', LIMITS);
      const centos = await transport.exec(targetFor(last, key), 'httpd -v', '', LIMITS);
      expect(debian.stdout.toString()).toContain('Apache/2.4.71 (Debian)');
      expect(centos.stdout.toString()).toContain('Apache/2.4.6 (CentOS)');
    } finally {
      await sut.stop();
    }
    expect(existsSync(sut.root)).toBe(false);
  });

  it('puts hosts on one address with distinct ports by default', async () => {
    const sut = await LabFleet.start({ count: 3, profile: () => debian12EventProfile(), authorizedKey: key.publicKey });
    try {
      expect(sut.hosts.map((h) => h.address)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.1']);
      expect(new Set(sut.hosts.map((h) => h.port)).size).toBe(3);
    } finally {
      await sut.stop();
    }
  });

  it('stops what it started when a host cannot start', async () => {
    await expect(LabFleet.start({ count: 3, profile: () => debian12EventProfile(), authorizedKey: key.publicKey, address: (i) => (i === 2 ? '192.0.2.1' : '127.0.0.1') })).rejects.toThrow(
      'loopback only',
    );
  });
});

describe(spreadOverLoopback.name, () => {
  it('walks 127.0.x.y, skipping .0 and .255', () => {
    expect([0, 253, 254, 2000].map(spreadOverLoopback)).toEqual(['127.0.1.1', '127.0.1.254', '127.0.2.1', '127.0.8.223']);
  });
});
