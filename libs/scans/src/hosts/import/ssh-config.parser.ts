import { entryMatchesHost } from '@driftwatch/ssh';
import { ImportedHost, ParsedInventory } from './imported-host';

interface Block {
  patterns: string[];
  options: Map<string, string>;
}

const KEYWORDS = new Set(['hostname', 'port', 'user', 'identityfile', 'proxyjump']);

/**
 * OpenSSH client configuration (`~/.ssh/config`) → hosts: every concrete alias of a `Host` line
 * (no wildcards) becomes a host, with HostName, Port, User, IdentityFile and ProxyJump taken the
 * way ssh takes them: for each keyword, the first value of the first block that matches.
 * `Match` blocks and `Include` are not followed (reported as warnings).
 */
export function parseSshConfig(text: string, home: string): ParsedInventory {
  const blocks: Block[] = [];
  const warnings: string[] = [];
  let current: Block | null = { patterns: ['*'], options: new Map() }; // options before any Host apply to all
  blocks.push(current);
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const match = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!match) return;
    const keyword = match[1]!.toLowerCase();
    const value = unquote(match[2]!.trim());
    if (keyword === 'host') {
      current = { patterns: value.split(/\s+/).filter(Boolean), options: new Map() };
      blocks.push(current);
    } else if (keyword === 'match') {
      warnings.push(`line ${index + 1}: Match blocks are not followed`);
      current = null;
    } else if (keyword === 'include') {
      warnings.push(`line ${index + 1}: Include ${value} is not followed`);
    } else if (current && KEYWORDS.has(keyword) && !current.options.has(keyword)) {
      current.options.set(keyword, value);
    }
  });

  const aliases = [...new Set(blocks.flatMap((b) => b.patterns.filter((p) => !/[*?!]/.test(p))))];
  const hosts: ImportedHost[] = [];
  for (const alias of aliases) {
    const options = new Map<string, string>();
    for (const block of blocks) {
      if (!patternsMatch(block.patterns, alias)) continue;
      for (const [k, v] of block.options) if (!options.has(k)) options.set(k, v);
    }
    const host: ImportedHost = { name: alias, address: expandTokens(options.get('hostname') ?? alias, alias), labels: [] };
    const port = options.get('port');
    if (port !== undefined) {
      if (!/^\d+$/.test(port)) {
        warnings.push(`${alias}: Port ${port} is not a number, left out`);
        continue;
      }
      host.port = Number(port);
    }
    const user = options.get('user');
    if (user !== undefined) host.username = user;
    const identity = options.get('identityfile');
    if (identity !== undefined && identity.toLowerCase() !== 'none') host.privateKeyPath = identity.replace(/^~(?=\/)/, home);
    const jump = options.get('proxyjump');
    if (jump !== undefined && jump.toLowerCase() !== 'none') {
      const hops = jump.split(',');
      if (hops.length > 1) warnings.push(`${alias}: ProxyJump ${jump} chains several hosts; only the last, ${hops[hops.length - 1]}, is kept`);
      const last = hops[hops.length - 1]!;
      const bare = /^(?:[^@]+@)?([^:]+)(?::\d+)?$/.exec(last)?.[1] ?? last;
      if (bare !== last) warnings.push(`${alias}: ProxyJump ${last} names a user or port; the jump host is the registered host "${bare}"`);
      host.jumpHost = bare;
    }
    hosts.push(host);
  }
  return { hosts, warnings };
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

/** `%h` in HostName stands for the alias (the only token worth supporting here). */
function expandTokens(value: string, alias: string): string {
  return value.replace(/%h/g, alias).replace(/%%/g, '%');
}

/** ssh_config patterns follow the same rules as known_hosts ones (`*`, `?`, `!`), space-separated. */
function patternsMatch(patterns: string[], name: string): boolean {
  return entryMatchesHost(patterns.join(','), name);
}
