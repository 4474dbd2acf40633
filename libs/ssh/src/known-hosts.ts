import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * OpenSSH known_hosts files, parsed and matched without I/O (sshd(8) "SSH_KNOWN_HOSTS FILE
 * FORMAT"). Supported: plain host patterns with `*`, `?` and `!negation`, `[host]:port`
 * names, hashed names (`|1|salt|hash`, as `ssh-keygen -H` writes them) and the `@revoked`
 * marker. `@cert-authority` lines are skipped: driftwatch does not verify host certificates,
 * so a CA line never makes a plain host key trusted.
 */

export interface KnownHostsEntry {
  /** 1-based line number in the file, for messages. */
  line: number;
  marker: 'revoked' | 'cert-authority' | null;
  /** The host field as written: comma-separated patterns, or one hashed name. */
  hosts: string;
  keyType: string;
  /** The wire-format public key (what the server presents and fingerprints are taken of). */
  key: Buffer;
}

/** Every usable line of the file; comments, blank lines and malformed lines are skipped. */
export function parseKnownHosts(text: string): KnownHostsEntry[] {
  const entries: KnownHostsEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const fields = raw.trim().split(/\s+/);
    if (!fields[0] || fields[0].startsWith('#')) return;
    let marker: KnownHostsEntry['marker'] = null;
    if (fields[0].startsWith('@')) {
      const name = fields.shift()!.slice(1);
      if (name !== 'revoked' && name !== 'cert-authority') return; // unknown marker: OpenSSH ignores the line too
      marker = name;
    }
    const [hosts, keyType, keyText] = fields;
    if (!hosts || !keyType || !keyText || !/^[A-Za-z0-9+/]+={0,2}$/.test(keyText)) return;
    entries.push({ line: index + 1, marker, hosts, keyType, key: Buffer.from(keyText, 'base64') });
  });
  return entries;
}

/** The name OpenSSH looks a host up by: the bare address on port 22, else `[address]:port`. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** Whether an entry's host field names `name` (hashed or pattern list, negations win). */
export function entryMatchesHost(hosts: string, name: string): boolean {
  if (hosts.startsWith('|')) return hashedNameMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

export type KnownHostsVerdict =
  | { verdict: 'trusted'; line: number }
  | { verdict: 'revoked'; line: number }
  | { verdict: 'changed'; lines: number[] }
  | { verdict: 'unknown' };

/**
 * What the file says of `key` presented by `address:port`. A revoked key is never trusted,
 * whichever hosts its line names; a host whose lines all hold other keys has `changed`.
 */
export function checkKnownHosts(entries: readonly KnownHostsEntry[], address: string, port: number, key: Buffer): KnownHostsVerdict {
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key));
  if (revoked) return { verdict: 'revoked', line: revoked.line };
  const name = knownHostsName(address, port);
  const forHost = entries.filter((e) => e.marker === null && entryMatchesHost(e.hosts, name));
  const trusted = forHost.find((e) => e.key.equals(key));
  if (trusted) return { verdict: 'trusted', line: trusted.line };
  return forHost.length ? { verdict: 'changed', lines: forHost.map((e) => e.line) } : { verdict: 'unknown' };
}

/** Key types the file holds for a host, so the client can ask the server for one of them. */
export function keyTypesFor(entries: readonly KnownHostsEntry[], address: string, port: number): string[] {
  const name = knownHostsName(address, port);
  return [...new Set(entries.filter((e) => e.marker === null && entryMatchesHost(e.hosts, name)).map((e) => e.keyType))];
}

function hashedNameMatches(field: string, name: string): boolean {
  const [, magic, saltText, hashText] = field.split('|');
  if (magic !== '1' || !saltText || !hashText) return false;
  const expected = Buffer.from(hashText, 'base64');
  const actual = createHmac('sha1', Buffer.from(saltText, 'base64')).update(name).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** OpenSSH's match_pattern: `*` any run, `?` one character, case-insensitive for host names. */
function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .toLowerCase()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`).test(name.toLowerCase());
}
