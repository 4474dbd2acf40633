import { SshTransport } from '@driftwatch/ssh';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabHost } from './host/lab-host';
import { ClientKey, generateClientKey } from './keys/client-key';
import { generateEd25519KeyPair } from './keys/ed25519';
import { debian12EventProfile } from './profiles/debian-12.profile';
import { LIMITS, targetFor } from './testing/transport-kit';

jest.setTimeout(30_000);

/** ssh-keyscan run asynchronously: the lab host answers from this very process. */
async function keyscan(host: LabHost): Promise<string> {
  const { stdout } = await promisify(execFile)('ssh-keyscan', ['-T', '5', '-p', String(host.port), host.address], { encoding: 'utf8' });
  return stdout;
}

/** Host key policies and login methods of SshTransport against lab hosts (real SSH). */
describe('SshTransport trust and login', () => {
  const sut = new SshTransport();
  const PASSWORD = 'lab-password-7f3a9c';
  const PASSPHRASE = 'lab-passphrase-41be';
  let key: ClientKey;
  let encrypted: ClientKey;
  let host: LabHost;
  let scratch: string;
  let knownHosts: string;

  beforeAll(async () => {
    key = generateClientKey();
    scratch = mkdtempSync(join(tmpdir(), 'driftwatch-trust-spec-'));
    encrypted = generateClientKey({ dir: scratch, passphrase: PASSPHRASE });
    host = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey, password: PASSWORD });
    // What `ssh-keyscan` says of the host, then hashed the way `ssh-keygen -H` does it.
    const scanned = await keyscan(host);
    expect(scanned).toContain(`[${host.address}]:${host.port} ssh-ed25519 `);
    knownHosts = join(scratch, 'known_hosts');
    writeFileSync(knownHosts, scanned);
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' });
  });
  afterAll(async () => {
    await host.stop();
    key.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  const ran = (name: string) => join(scratch, name);

  describe('known-hosts', () => {
    it('connects to a host listed in a hashed known_hosts file made from ssh-keyscan output', async () => {
      const result = await sut.exec(targetFor(host, key, { hostKey: null, hostKeyPolicy: 'known-hosts', knownHostsFile: knownHosts }), 'echo hi', '', LIMITS);
      expect(result).toMatchObject({ outcome: 'ok', hostKey: host.hostKeyFingerprint });
      expect(result.stdout.toString()).toBe('hi\n');
    });

    it('refuses a host the file does not list, and runs nothing there', async () => {
      const other = join(scratch, 'other_known_hosts');
      writeFileSync(other, `[${host.address}]:1 ${generateEd25519KeyPair().publicKey}\n`);
      const marker = ran('unknown');
      const result = await sut.exec(targetFor(host, key, { hostKey: null, hostKeyPolicy: 'known-hosts', knownHostsFile: other }), `touch '${marker}'`, '', LIMITS);
      expect(result.outcome).toBe('hostkey-mismatch');
      expect(result.error).toBe(`${other} has no entry for [${host.address}]:${host.port} (presented ${host.hostKeyFingerprint})`);
      expect(existsSync(marker)).toBe(false);
    });

    it('refuses a listed host presenting another key, and a key marked @revoked', async () => {
      const changed = join(scratch, 'changed_known_hosts');
      writeFileSync(changed, `[${host.address}]:${host.port} ${generateEd25519KeyPair().publicKey}\n`);
      const mismatch = await sut.exec(targetFor(host, key, { hostKey: null, hostKeyPolicy: 'known-hosts', knownHostsFile: changed }), 'true', '', LIMITS);
      expect(mismatch).toMatchObject({ outcome: 'hostkey-mismatch', error: expect.stringContaining('not the key') });

      const hostLine = (await keyscan(host)).trim();
      const [, type, blob] = hostLine.split(/\s+/);
      const revoked = join(scratch, 'revoked_known_hosts');
      writeFileSync(revoked, `${hostLine}\n@revoked * ${type} ${blob}\n`);
      const marker = ran('revoked');
      const refused = await sut.exec(targetFor(host, key, { hostKey: null, hostKeyPolicy: 'known-hosts', knownHostsFile: revoked }), `touch '${marker}'`, '', LIMITS);
      expect(refused).toMatchObject({ outcome: 'hostkey-mismatch', error: expect.stringContaining('@revoked') });
      expect(existsSync(marker)).toBe(false);
    });

    it('fails clearly when the known_hosts file is missing', async () => {
      const missing = join(scratch, 'nope');
      const result = await sut.exec(targetFor(host, key, { hostKeyPolicy: 'known-hosts', knownHostsFile: missing }), 'true', '', LIMITS);
      expect(result).toMatchObject({ outcome: 'failed', error: `known_hosts file ${missing} cannot be read (ENOENT)` });
    });
  });

  describe('pinned', () => {
    it('refuses a host with no pinned key instead of trusting it', async () => {
      const marker = ran('unpinned');
      const result = await sut.exec(targetFor(host, key, { hostKey: null, hostKeyPolicy: 'pinned' }), `touch '${marker}'`, '', LIMITS);
      expect(result).toMatchObject({ outcome: 'hostkey-mismatch', error: expect.stringContaining('no pinned host key') });
      expect(existsSync(marker)).toBe(false);
    });

    it('connects when the pin matches', async () => {
      await expect(sut.exec(targetFor(host, key, { hostKeyPolicy: 'pinned' }), 'true', '', LIMITS)).resolves.toMatchObject({ outcome: 'ok' });
    });
  });

  describe('login', () => {
    it('logs in with a password, and reports a wrong one as auth-failed without echoing it', async () => {
      const ok = await sut.exec(targetFor(host, key, { auth: { type: 'password', password: PASSWORD } }), 'echo in', '', LIMITS);
      expect(ok).toMatchObject({ outcome: 'ok' });
      const wrong = await sut.exec(targetFor(host, key, { auth: { type: 'password', password: 'not-it-91c2' } }), 'true', '', LIMITS);
      expect(wrong.outcome).toBe('auth-failed');
      expect(wrong.error).not.toContain('not-it-91c2');
    });

    it('logs in with an encrypted key file and its passphrase, and with the key given inline', async () => {
      const fromFile = await sut.exec(
        targetFor(host, key, { auth: { type: 'key', privateKeyPath: encrypted.path, passphrase: PASSPHRASE } }),
        'true',
        '',
        LIMITS,
      );
      // The encrypted key is not the host's authorized one: decrypting worked, the login was refused.
      expect(fromFile.outcome).toBe('auth-failed');
      const inline = await sut.exec(targetFor(host, key, { auth: { type: 'inline-key', privateKey: key.privateKeyPem } }), 'echo inline', '', LIMITS);
      expect(inline).toMatchObject({ outcome: 'ok' });
      expect(inline.stdout.toString()).toBe('inline\n');
    });

    it('reports a wrong passphrase as auth-failed with a reason that holds no secret', async () => {
      const result = await sut.exec(
        targetFor(host, key, { auth: { type: 'key', privateKeyPath: encrypted.path, passphrase: 'wrong-pass-5d1e' } }),
        'true',
        '',
        LIMITS,
      );
      expect(result).toMatchObject({ outcome: 'auth-failed', error: `private key file ${encrypted.path} could not be decrypted with the given passphrase` });
      expect(result.error).not.toMatch(/wrong-pass-5d1e|BEGIN/);
    });
  });
});
