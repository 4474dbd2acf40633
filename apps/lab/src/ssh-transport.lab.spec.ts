import { SshTransport } from '@driftwatch/ssh';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Server as SshServer } from 'ssh2';
import { LabHost } from './host/lab-host';
import { ClientKey, generateClientKey } from './keys/client-key';
import { generateEd25519KeyPair } from './keys/ed25519';
import { debian12EventProfile } from './profiles/debian-12.profile';
import { closedPort, eventually, LIMITS, silentServer, targetFor } from './testing/transport-kit';

jest.setTimeout(30_000); // real SSH handshakes and processes; generous for loaded CI machines

/** SshTransport (libs/ssh) against real SSH servers: lab hosts and a few misbehaving ones. */
describe(SshTransport.name, () => {
  const sut = new SshTransport();
  let key: ClientKey;
  let host: LabHost;
  let scratch: string;

  beforeAll(async () => {
    key = generateClientKey();
    host = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: key.publicKey });
    scratch = mkdtempSync(join(tmpdir(), 'driftwatch-transport-spec-'));
  });
  afterAll(async () => {
    await host.stop();
    key.dispose();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs `sh -s` with the script on stdin and keeps stdout, stderr and exit code apart', async () => {
    const result = await sut.exec(targetFor(host, key), 'sh -s', 'echo out; echo err >&2; echo more\nexit 7\n', LIMITS);
    expect(result).toMatchObject({ outcome: 'ok', exitCode: 7, stdoutTruncated: false, stderrTruncated: false });
    expect(result.stdout.toString()).toBe('out\nmore\n');
    expect(result.stderr.toString()).toBe('err\n');
    expect(result.error).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('accepts an unpinned host and returns the fingerprint it presented, to pin', async () => {
    const result = await sut.exec(targetFor(host, key, { hostKey: null }), 'true', '', LIMITS);
    expect(result).toMatchObject({ outcome: 'ok', exitCode: 0, hostKey: host.hostKeyFingerprint });
  });

  it('connects when the pinned key matches', async () => {
    const result = await sut.exec(targetFor(host, key), 'true', '', LIMITS);
    expect(result).toMatchObject({ outcome: 'ok', hostKey: host.hostKeyFingerprint });
  });

  it('refuses a host whose key is not the pinned one, before anything runs there', async () => {
    const marker = join(scratch, 'ran');
    const pinned = generateEd25519KeyPair().fingerprint;
    const refused = await sut.exec(targetFor(host, key, { hostKey: pinned }), `touch '${marker}'`, '', LIMITS);
    expect(refused).toMatchObject({ outcome: 'hostkey-mismatch', hostKey: host.hostKeyFingerprint, exitCode: null });
    expect(refused.error).toContain(pinned);
    expect(refused.error).toContain(host.hostKeyFingerprint);
    expect(existsSync(marker)).toBe(false);

    const allowed = await sut.exec(targetFor(host, key), `touch '${marker}'`, '', LIMITS);
    expect(allowed.outcome).toBe('ok');
    expect(existsSync(marker)).toBe(true);
  });

  it('reports a client key the host does not accept as auth-failed', async () => {
    const stranger = generateClientKey();
    try {
      const result = await sut.exec(targetFor(host, key, { auth: { type: 'key', privateKeyPath: stranger.path } }), 'true', '', LIMITS);
      expect(result).toMatchObject({ outcome: 'auth-failed', hostKey: host.hostKeyFingerprint, exitCode: null });
      expect(result.error).toContain('rejected the login of user probe');
    } finally {
      stranger.dispose();
    }
  });

  it('reports a closed port as unreachable', async () => {
    const result = await sut.exec(targetFor(host, key, { port: await closedPort() }), 'true', '', LIMITS);
    expect(result).toMatchObject({ outcome: 'unreachable', exitCode: null });
    expect(result.error).toContain('ECONNREFUSED');
    expect(result.hostKey).toBeUndefined();
  });

  it('times out within the connect timeout on a TCP server that never speaks SSH', async () => {
    const silent = await silentServer();
    try {
      const result = await sut.exec(targetFor(host, key, { port: silent.port }), 'true', '', { ...LIMITS, connectTimeoutMs: 300 });
      expect(result.outcome).toBe('timeout');
      expect(result.durationMs).toBeGreaterThanOrEqual(290);
      expect(result.durationMs).toBeLessThan(1_500);
    } finally {
      await silent.stop();
    }
  });

  it('times out a command that never returns, keeping what it printed, and the host kills it', async () => {
    const result = await sut.exec(targetFor(host, key), 'sh -s', 'echo started\nsleep 30\n', { ...LIMITS, commandTimeoutMs: 500 });
    expect(result).toMatchObject({ outcome: 'timeout', exitCode: null });
    expect(result.stdout.toString()).toBe('started\n');
    expect(result.durationMs).toBeLessThan(3_000);
    await eventually(() => host.runningCommands === 0);
  });

  it('keeps at most maxOutputBytes per stream, reads on, and lets the command finish', async () => {
    const cap = 64 * 1024;
    const script = 'head -c 5000000 /dev/zero\nhead -c 10 /dev/zero >&2\nexit 3\n';
    const result = await sut.exec(targetFor(host, key), 'sh -s', script, { ...LIMITS, maxOutputBytes: cap });
    expect(result).toMatchObject({ outcome: 'ok', exitCode: 3, stdoutTruncated: true, stderrTruncated: false });
    expect(result.stdout.length).toBe(cap);
    expect(result.stderr.length).toBe(10);
  });

  it('hands each kept stdout chunk to the hook as it arrives', async () => {
    const chunks: Buffer[] = [];
    const result = await sut.exec(targetFor(host, key), 'sh -s', 'echo one\nsleep 0.1\necho two\n', LIMITS, { onStdout: (c) => chunks.push(c) });
    expect(Buffer.concat(chunks).toString()).toBe(result.stdout.toString());
    expect(result.stdout.toString()).toBe('one\ntwo\n');
  });

  it('reports a command killed by a signal with a null exit code', async () => {
    const result = await sut.exec(targetFor(host, key), 'kill -KILL $$', '', LIMITS);
    expect(result).toMatchObject({ outcome: 'ok', exitCode: null, error: 'the command was killed by SIGKILL' });
  });

  it('fails clearly, without connecting, when the key file is missing', async () => {
    const path = join(scratch, 'no-such-key');
    const result = await sut.exec(targetFor(host, key, { auth: { type: 'key', privateKeyPath: path } }), 'true', '', LIMITS);
    expect(result).toMatchObject({ outcome: 'failed', error: `private key file ${path} does not exist`, exitCode: null });
    expect(result.hostKey).toBeUndefined();
  });

  it('reads the key file at every exec, so a replaced key takes effect', async () => {
    const rotated = generateClientKey({ dir: mkdtempSync(join(scratch, 'rotate-')) });
    const target = targetFor(host, key, { auth: { type: 'key', privateKeyPath: rotated.path } });
    expect((await sut.exec(target, 'true', '', LIMITS)).outcome).toBe('auth-failed');
    spawnSync('cp', [key.path, rotated.path]);
    expect((await sut.exec(target, 'true', '', LIMITS)).outcome).toBe('ok');
  });

  it('uses an encrypted key with its passphrase, and says so without it', async () => {
    const locked = generateClientKey({ passphrase: 'correct horse' });
    const other = await LabHost.start({ profile: debian12EventProfile(), authorizedKey: locked.publicKey });
    try {
      const auth = (passphrase?: string) => ({ auth: { type: 'key' as const, privateKeyPath: locked.path, passphrase } });
      expect((await sut.exec(targetFor(other, locked, auth('correct horse')), 'true', '', LIMITS)).outcome).toBe('ok');
      const without = await sut.exec(targetFor(other, locked, auth()), 'true', '', LIMITS);
      expect(without).toMatchObject({ outcome: 'failed', error: `private key file ${locked.path} is encrypted and no passphrase was given` });
      const wrong = await sut.exec(targetFor(other, locked, auth('battery staple')), 'true', '', LIMITS);
      expect(wrong.error).toBe(`private key file ${locked.path} could not be decrypted with the given passphrase`);
      expect(wrong.error).not.toContain('battery');
    } finally {
      await other.stop();
      locked.dispose();
    }
  });

  // Needs OpenSSH's ssh-agent and ssh-add (Debian openssh-client, installed by .ci/run).
  it('logs in through ssh-agent (SSH_AUTH_SOCK by default)', async () => {
    const socketPath = join(scratch, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', socketPath], { stdio: 'ignore' });
    const saved = process.env.SSH_AUTH_SOCK;
    try {
      await eventually(() => existsSync(socketPath));
      const agentTarget = (socket?: string) => targetFor(host, key, { auth: { type: 'agent', socketPath: socket } });
      expect((await sut.exec(agentTarget(socketPath), 'true', '', LIMITS)).outcome).toBe('auth-failed'); // empty agent
      expect(spawnSync('ssh-add', [key.path], { env: { ...process.env, SSH_AUTH_SOCK: socketPath } }).status).toBe(0);
      process.env.SSH_AUTH_SOCK = socketPath;
      const result = await sut.exec(agentTarget(), 'echo via agent', '', LIMITS);
      expect(result).toMatchObject({ outcome: 'ok', exitCode: 0 });
      expect(result.stdout.toString()).toBe('via agent\n');
    } finally {
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
      agent.kill();
    }
  });

  it('reports a channel that closes without an exit status', async () => {
    const hostKey = generateEd25519KeyPair();
    const rude = new SshServer({ hostKeys: [hostKey.privateKey] }, (connection) => {
      connection.on('error', () => undefined);
      connection.on('authentication', (ctx) => ctx.accept());
      connection.on('session', (accept) => accept().once('exec', (acceptExec) => acceptExec().end('partial')));
    });
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    try {
      const port = (rude.address() as { port: number }).port;
      const result = await sut.exec({ ...targetFor(host, key), port, hostKey: hostKey.fingerprint }, 'anything', '', LIMITS);
      expect(result).toMatchObject({ outcome: 'failed', exitCode: null, error: 'the channel closed without an exit status' });
      expect(result.stdout.toString()).toBe('partial');
    } finally {
      await new Promise<void>((resolve) => rude.close(() => resolve()));
    }
  });
});
