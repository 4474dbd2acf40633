import { parse as parseYaml } from 'yaml';
import { ImportedHost, ParsedInventory } from './imported-host';

type Vars = Record<string, unknown>;

interface Inventory {
  /** host → its own vars */
  hosts: Map<string, Vars>;
  /** group → member hosts, child groups, vars */
  groups: Map<string, { hosts: Set<string>; children: Set<string>; vars: Vars }>;
}

const IMPLICIT_GROUPS = new Set(['all', 'ungrouped']);

/**
 * An Ansible inventory (INI or YAML) → hosts. Groups (and their parent groups) become labels;
 * `ansible_host`, `ansible_port`, `ansible_user` and `ansible_ssh_private_key_file` (host vars
 * over group vars, child groups over parents) become address, port, user and key file.
 * `name[01:03]` ranges are expanded.
 */
export function parseAnsibleInventory(text: string, format: 'ini' | 'yaml' = detectFormat(text)): ParsedInventory {
  const inventory: Inventory = { hosts: new Map(), groups: new Map() };
  const warnings: string[] = [];
  if (format === 'yaml') readYaml(parseYaml(text) ?? {}, inventory, warnings);
  else readIni(text, inventory, warnings);
  return { hosts: resolve(inventory, warnings), warnings };
}

function detectFormat(text: string): 'ini' | 'yaml' {
  return /^\s*\[[^\]]+\]\s*$/m.test(text) ? 'ini' : /^\s*[A-Za-z0-9_.-]+:\s*$/m.test(text) ? 'yaml' : 'ini';
}

function group(inv: Inventory, name: string) {
  let g = inv.groups.get(name);
  if (!g) inv.groups.set(name, (g = { hosts: new Set(), children: new Set(), vars: {} }));
  return g;
}

function addHost(inv: Inventory, pattern: string, vars: Vars, groupName: string): void {
  for (const name of expandRange(pattern)) {
    inv.hosts.set(name, { ...(inv.hosts.get(name) ?? {}), ...vars });
    group(inv, groupName).hosts.add(name);
  }
}

function readIni(text: string, inv: Inventory, warnings: string[]): void {
  let section = { name: 'ungrouped', kind: 'hosts' as 'hosts' | 'vars' | 'children' };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/\s+[#;].*$/, '').trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = { name: header[1]!, kind: (header[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      group(inv, section.name);
      return;
    }
    if (section.kind === 'children') return void group(inv, section.name).children.add(line);
    if (section.kind === 'vars') {
      const kv = /^([^=\s]+)\s*=\s*(.*)$/.exec(line);
      if (!kv) return void warnings.push(`line ${index + 1}: not a variable assignment`);
      group(inv, section.name).vars[kv[1]!] = unquote(kv[2]!);
      return;
    }
    const [pattern, ...assignments] = splitWords(line);
    const vars: Vars = {};
    for (const a of assignments) {
      const eq = a.indexOf('=');
      if (eq > 0) vars[a.slice(0, eq)] = unquote(a.slice(eq + 1));
    }
    addHost(inv, pattern!, vars, section.name);
  });
}

function readYaml(doc: unknown, inv: Inventory, warnings: string[]): void {
  if (!isObject(doc)) return void warnings.push('the YAML inventory is not a mapping of groups');
  const walk = (name: string, body: unknown) => {
    const g = group(inv, name);
    if (!isObject(body)) return;
    if (isObject(body.hosts)) for (const [host, vars] of Object.entries(body.hosts)) addHost(inv, host, isObject(vars) ? vars : {}, name);
    if (isObject(body.vars)) Object.assign(g.vars, body.vars);
    if (isObject(body.children)) {
      for (const [child, childBody] of Object.entries(body.children)) {
        g.children.add(child);
        walk(child, childBody);
      }
    }
  };
  for (const [name, body] of Object.entries(doc)) walk(name, body);
}

/** Each host's vars (all < parent groups < child groups < host) and labels (its groups and their ancestors). */
function resolve(inv: Inventory, warnings: string[]): ImportedHost[] {
  const parents = new Map<string, string[]>();
  for (const [name, g] of inv.groups) for (const child of g.children) parents.set(child, [...(parents.get(child) ?? []), name]);
  const ancestry = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    return [...(parents.get(name) ?? []).flatMap((p) => ancestry(p, seen)), name];
  };
  const hosts: ImportedHost[] = [];
  for (const [name, own] of inv.hosts) {
    const groups = [...inv.groups].filter(([, g]) => g.hosts.has(name)).map(([groupName]) => groupName);
    const lineage = [...new Set(['all', ...groups.flatMap((g) => ancestry(g))])];
    const vars: Vars = Object.assign({}, ...lineage.map((g) => inv.groups.get(g)?.vars ?? {}), own);
    const host: ImportedHost = {
      name,
      address: String(vars.ansible_host ?? name),
      labels: lineage.filter((g) => !IMPLICIT_GROUPS.has(g)).sort(),
    };
    if (vars.ansible_port !== undefined) {
      const port = Number(vars.ansible_port);
      if (!Number.isInteger(port)) {
        warnings.push(`${name}: ansible_port ${String(vars.ansible_port)} is not a number, left out`);
        continue;
      }
      host.port = port;
    }
    if (vars.ansible_user !== undefined) host.username = String(vars.ansible_user);
    const key = vars.ansible_ssh_private_key_file ?? vars.ansible_private_key_file;
    if (key !== undefined) host.privateKeyPath = String(key);
    hosts.push(host);
  }
  return hosts;
}

/** `web[01:03].example` → web01.example, web02.example, web03.example (numeric ranges only). */
function expandRange(pattern: string): string[] {
  const m = /^(.*)\[(\d+):(\d+)\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, before, from, to, after] = m;
  const width = from!.length;
  const out: string[] = [];
  for (let i = Number(from); i <= Number(to) && out.length < 10_000; i++) out.push(`${before}${String(i).padStart(width, '0')}${after}`);
  return out;
}

function splitWords(line: string): string[] {
  return line.match(/(?:[^\s"']+|"[^"]*"|'[^']*')+/g) ?? [];
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
