import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkKnownHosts, entryMatchesHost, keyTypesFor, knownHostsName, parseKnownHosts } from './known-hosts';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIIdAhIILqgCah7PEK/HzGwNrVwLEz9CePU2tqqUkJ7/P';
const OTHER = 'AAAAC3NzaC1lZDI1NTE5AAAAIFz6ZkKkXkR0Hk5QWQn2YdvS3rYgP4s8uV5m7YdHc2dS';
const blob = (b64: string) => Buffer.from(b64, 'base64');

describe(parseKnownHosts.name, () => {
  it('reads plain, bracketed, marked and hashed lines and skips the rest', () => {
    const entries = parseKnownHosts(
      [
        '# comment',
        '',
        `web1.example,10.0.0.5 ssh-ed25519 ${ED} a comment`,
        `[10.0.0.6]:2222 ssh-ed25519 ${ED}`,
        `@revoked * ssh-ed25519 ${OTHER}`,
        `@cert-authority *.example ssh-ed25519 ${OTHER}`,
        `@weird host ssh-ed25519 ${ED}`,
        'garbage-without-key',
        `host ssh-ed25519 not*base64`,
      ].join('\n'),
    );
    expect(entries.map((e) => [e.line, e.marker, e.hosts])).toEqual([
      [3, null, 'web1.example,10.0.0.5'],
      [4, null, '[10.0.0.6]:2222'],
      [5, 'revoked', '*'],
      [6, 'cert-authority', '*.example'],
    ]);
    expect(entries[0]!.key.equals(blob(ED))).toBe(true);
  });
});

describe(entryMatchesHost.name, () => {
  it.each([
    ['web1.example', 'web1.example', true],
    ['WEB1.example', 'web1.example', true],
    ['*.example', 'web1.example', true],
    ['web?.example', 'web1.example', true],
    ['web?.example', 'web10.example', false],
    ['*.example,!web1.example', 'web1.example', false],
    ['!web1.example,*.example', 'web1.example', false],
    ['10.0.0.5', '[10.0.0.5]:2222', false],
    ['[10.0.0.5]:2222', '[10.0.0.5]:2222', true],
    ['[10.0.0.5]:*', '[10.0.0.5]:2222', true],
    ['a.b', 'aXb', false],
  ])('%s vs %s → %s', (hosts, name, expected) => {
    expect(entryMatchesHost(hosts, name)).toBe(expected);
  });

  it('names port 22 plainly and other ports in brackets', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5');
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222');
  });
});

describe(checkKnownHosts.name, () => {
  const entries = parseKnownHosts(
    [`web1 ssh-ed25519 ${ED}`, `[web2]:2222 ssh-ed25519 ${ED}`, `@revoked * ssh-ed25519 ${OTHER}`, `@cert-authority * ssh-ed25519 ${ED}`].join('\n'),
  );

  it('trusts the listed key of a listed host', () => {
    expect(checkKnownHosts(entries, 'web1', 22, blob(ED))).toEqual({ verdict: 'trusted', line: 1 });
    expect(checkKnownHosts(entries, 'web2', 2222, blob(ED))).toEqual({ verdict: 'trusted', line: 2 });
  });

  it('says changed when the host is listed with another key, unknown when not listed at all', () => {
    const third = Buffer.from('not the same key');
    expect(checkKnownHosts(entries, 'web1', 22, third)).toEqual({ verdict: 'changed', lines: [1] });
    expect(checkKnownHosts(entries, 'web2', 22, blob(ED))).toEqual({ verdict: 'unknown' });
    expect(checkKnownHosts(entries, 'web3', 22, blob(ED))).toEqual({ verdict: 'unknown' });
  });

  it('never trusts a revoked key, even for a host listed with it', () => {
    const withRevoked = parseKnownHosts(`web1 ssh-ed25519 ${OTHER}\n@revoked * ssh-ed25519 ${OTHER}\n`);
    expect(checkKnownHosts(withRevoked, 'web1', 22, blob(OTHER))).toEqual({ verdict: 'revoked', line: 2 });
  });

  it('does not let a cert-authority line vouch for a plain key', () => {
    const caOnly = parseKnownHosts(`@cert-authority * ssh-ed25519 ${ED}\n`);
    expect(checkKnownHosts(caOnly, 'anyhost', 22, blob(ED))).toEqual({ verdict: 'unknown' });
  });

  it('lists the key types held for a host', () => {
    expect(keyTypesFor(entries, 'web1', 22)).toEqual(['ssh-ed25519']);
    expect(keyTypesFor(entries, 'nowhere', 22)).toEqual([]);
  });
});

describe('known_hosts written by OpenSSH', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftwatch-known-hosts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('matches names hashed by ssh-keygen -H, and only those names', () => {
    const path = join(dir, 'known_hosts');
    writeFileSync(path, `web1.example ssh-ed25519 ${ED}\n[10.1.2.3]:2222 ssh-ed25519 ${OTHER}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', path], { stdio: 'ignore' });
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('web1.example');
    expect(text).toMatch(/^\|1\|/);
    const entries = parseKnownHosts(text);
    expect(entries).toHaveLength(2);
    expect(checkKnownHosts(entries, 'web1.example', 22, blob(ED)).verdict).toBe('trusted');
    expect(checkKnownHosts(entries, '10.1.2.3', 2222, blob(OTHER)).verdict).toBe('trusted');
    expect(checkKnownHosts(entries, '10.1.2.3', 22, blob(OTHER)).verdict).toBe('unknown');
    expect(checkKnownHosts(entries, 'web1.example', 22, blob(OTHER)).verdict).toBe('changed');
  });
});
