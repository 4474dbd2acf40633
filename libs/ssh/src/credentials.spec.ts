import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { loadCredentials } from './credentials';

describe(loadCredentials.name, () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-credentials-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a missing key file by path', async () => {
    const path = join(dir, 'nope');
    await expect(loadCredentials({ type: 'key', privateKeyPath: path })).resolves.toEqual({
      ok: false,
      error: `private key file ${path} does not exist`,
    });
  });

  it('reports a directory given as key file', async () => {
    await expect(loadCredentials({ type: 'key', privateKeyPath: dir })).resolves.toEqual({ ok: false, error: `private key file ${dir} is a directory` });
  });

  it('says a file is not a key without quoting any of it', async () => {
    const path = join(dir, 'id');
    writeFileSync(path, '-----BEGIN OPENSSH PRIVATE KEY-----\nTOPSECRETMATERIAL\n-----END OPENSSH PRIVATE KEY-----\n');
    const result = await loadCredentials({ type: 'key', privateKeyPath: path, passphrase: 'hunter2' });
    expect(result.ok).toBe(false);
    const error = (result as { error: string }).error;
    expect(error).toContain(path);
    expect(error).not.toMatch(/TOPSECRET|hunter2|BEGIN/);
  });

  it('reports an unreadable file', async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const path = join(dir, 'id');
    writeFileSync(path, 'x');
    chmodSync(path, 0o000);
    await expect(loadCredentials({ type: 'key', privateKeyPath: path })).resolves.toEqual({
      ok: false,
      error: `private key file ${path} is not readable (permission denied)`,
    });
  });

  it('takes the agent socket from SSH_AUTH_SOCK at call time, or says it is missing', async () => {
    const socket = join(dir, 'agent.sock');
    const other = join(dir, 'other.sock');
    const servers = [createServer(), createServer()];
    await Promise.all(servers.map((s, i) => new Promise<void>((resolve) => s.listen(i === 0 ? socket : other, resolve))));
    try {
      await expect(loadCredentials({ type: 'agent' }, { SSH_AUTH_SOCK: socket })).resolves.toEqual({
        ok: true,
        login: { agent: socket, authHandler: ['agent'] },
      });
      await expect(loadCredentials({ type: 'agent', socketPath: other }, { SSH_AUTH_SOCK: socket })).resolves.toMatchObject({ ok: true, login: { agent: other } });
    } finally {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
    await expect(loadCredentials({ type: 'agent' }, {})).resolves.toEqual({
      ok: false,
      error: 'ssh-agent authentication needs an agent socket, and SSH_AUTH_SOCK is not set',
    });
    const gone = join(dir, 'gone.sock');
    await expect(loadCredentials({ type: 'agent' }, { SSH_AUTH_SOCK: gone })).resolves.toEqual({
      ok: false,
      error: `ssh-agent socket ${gone} does not exist (is the agent running, and SSH_AUTH_SOCK current?)`,
    });
    await expect(loadCredentials({ type: 'agent' }, { SSH_AUTH_SOCK: dir })).resolves.toMatchObject({ ok: false, error: expect.stringContaining('is not a socket') });
  });
});
