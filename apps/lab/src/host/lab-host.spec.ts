import { fingerprintOf, SshTransport } from '@driftwatch/ssh';
import { Client } from 'ssh2';
import { readFileSync } from 'node:fs';
import { ClientKey, generateClientKey } from '../keys/client-key';
import { debian12EventProfile } from '../profiles/debian-12.profile';
import { withMpm } from '../profiles/mutators';
import { eventually, LIMITS, targetFor } from '../testing/transport-kit';
import { LabHost } from './lab-host';

jest.setTimeout(30_000); // real SSH handshakes and processes; generous for loaded CI machines

describe(LabHost.name, () => {
  const transport = new SshTransport();
  let key: ClientKey;
  let sut: LabHost;

  beforeAll(() => {
    key = generateClientKey();
  });
  beforeEach(async () => {
    sut = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
  });
  afterEach(() => sut.stop());
  afterAll(() => key.dispose());

  const run = async (script: string) => {
    const result = await transport.exec(targetFor(sut, key), 'sh -s', script, LIMITS);
    expect(result.outcome).toBe('ok');
    return { ...result, out: result.stdout.toString(), err: result.stderr.toString() };
  };

  it('listens on loopback with its own ed25519 key', async () => {
    expect(sut.address).toBe('127.0.0.1');
    expect(sut.port).toBeGreaterThan(0);
    expect(sut.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    await expect(LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey, address: '0.0.0.0' })).rejects.toThrow('loopback only');
  });

  it('runs commands with the machine sh, in the host directory, with the lab environment', async () => {
    const { out } = await run('printf "%s\\n" "$PATH" "$HOME" "$(pwd)" "${DRIFTWATCH_PROBE_DIRS-unset}" "$DRIFTWATCH_OS_RELEASE" "$USER"\n');
    expect(out.split('\n')).toEqual([`${sut.dir}/bin:/usr/bin:/bin`, sut.dir, sut.dir, '', `${sut.dir}/etc/os-release`, 'probe', '']);
    expect(readFileSync(`${sut.dir}/etc/os-release`, 'utf8')).toContain('Debian GNU/Linux 12');
  });

  it('answers from the profile, and complains on stderr with exit 1 about anything else', async () => {
    const known = await run('apache2ctl -V\n');
    expect(known.out).toBe(debian12EventProfile().commands.apache2ctl.find((c) => c.args === '-V')!.stdout);
    const unknown = await run('apache2ctl -X\n');
    expect(unknown).toMatchObject({ exitCode: 1, out: '', err: 'apache2ctl: the lab profile has no output for arguments: -X\n' });
  });

  it('prints the new profile from the next command on', async () => {
    expect((await run('apache2ctl -M | grep mpm_\n')).out).toBe(' mpm_event_module (shared)\n');
    sut.setProfile(withMpm(debian12EventProfile(), 'prefork'));
    expect((await run('apache2ctl -M | grep mpm_\n')).out).toBe(' mpm_prefork_module (shared)\n');
    expect((await run('apache2ctl -V | grep MPM\n')).out).toBe('Server MPM:     prefork\n');
  });

  it('presents a brand-new key to new connections after regenerateHostKey', async () => {
    const before = sut.hostKeyFingerprint;
    const after = sut.regenerateHostKey();
    expect(after).not.toBe(before);
    expect(sut.hostKeyFingerprint).toBe(after);
    expect((await transport.exec(targetFor(sut, key, { hostKey: before }), 'true', '', LIMITS)).outcome).toBe('hostkey-mismatch');
    expect(await transport.exec(targetFor(sut, key, { hostKey: null }), 'true', '', LIMITS)).toMatchObject({ outcome: 'ok', hostKey: after });
  });

  it('refuses shell, pty and sftp requests', async () => {
    const client = new Client();
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve()).once('error', reject);
      client.connect({ host: sut.address, port: sut.port, username: 'probe', privateKey: key.privateKeyPem, hostVerifier: (hostKey: Buffer) => fingerprintOf(hostKey) === sut.hostKeyFingerprint });
    });
    try {
      const refused = (request: (cb: (err: Error | undefined) => void) => void) => new Promise<Error | undefined>((resolve) => request((err) => resolve(err)));
      expect(await refused((cb) => client.shell(cb))).toBeInstanceOf(Error);
      expect(await refused((cb) => client.sftp(cb))).toBeInstanceOf(Error);
      expect(await refused((cb) => client.exec('true', { pty: true }, cb))).toBeInstanceOf(Error);
    } finally {
      client.end();
    }
  });

  it('delivers stdout and stderr in full even when both wait for SSH window space', async () => {
    const script = 'head -c 5000000 /dev/zero\nhead -c 10 /dev/zero >&2\n';
    const limits = { ...LIMITS, maxOutputBytes: 8 << 20 };
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(Array.from({ length: 6 }, () => transport.exec(targetFor(sut, key), 'sh -s', script, limits)));
      for (const result of results) {
        expect(result).toMatchObject({ outcome: 'ok', exitCode: 0 });
        expect([result.stdout.length, result.stderr.length]).toEqual([5_000_000, 10]);
      }
    }
  });

  it('drops connections and kills running commands when stopped', async () => {
    const pending = transport.exec(targetFor(sut, key), 'sh -s', 'sleep 30\n', LIMITS);
    await eventually(() => sut.runningCommands === 1);
    await sut.stop();
    expect(sut.runningCommands).toBe(0);
    expect((await pending).outcome).toBe('failed');
  });
});
