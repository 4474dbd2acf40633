import { DiagnosticReport } from './report';
import { canonicalIpv6, isAnonymousAddress, isIpv4, isIpv6 } from './ip-address';

/** What the caller knows identifies the machine: its names and the accounts involved. */
export interface KnownIdentities {
  /** Host names, FQDNs or addresses of the machine (registered name, SSH address, os.hostname()). */
  hosts?: readonly string[];
  /** Login users, with their home directory when known. */
  users?: readonly { name: string; home?: string }[];
}

/**
 * Values shorter than this are replaced where they stand alone as a field (the report's host
 * name) but not searched for in output: a one- or two-letter name would hit ordinary words.
 */
const MIN_SEARCHED_LENGTH = 3;

/** Accounts every Unix has; they identify nobody, and a reader needs them (User www-data). */
const SYSTEM_ACCOUNTS = new Set(['root', 'daemon', 'bin', 'sys', 'nobody', 'www-data', 'apache', 'httpd', 'wwwrun', '_www', 'www']);

/** Names that identify no machine. */
const ANONYMOUS_HOSTS = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', 'ip6-loopback']);

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.?$/;
const HOME_OWNER = /(?:^|[^A-Za-z0-9_.-])\/(?:home|Users|export\/home|usr\/home)\/([A-Za-z0-9_][A-Za-z0-9_.-]*)/g;
const URL_HOST = /[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@\s/]+@)?([A-Za-z0-9][A-Za-z0-9.-]*)/g;
/** mod_wsgi's application group is `SERVER_NAME:port|path`. */
const APPLICATION_GROUP = /application_group\W{1,6}([A-Za-z0-9][A-Za-z0-9.-]*)(?::\d+)?\|/g;
const VHOST_NAME = /\b(?:ServerName|ServerAlias|namevhost|default server|alias)\s+(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?([A-Za-z0-9][A-Za-z0-9.*-]*)/gi;
const IPV6_CANDIDATE = String.raw`(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{0,4})(?![0-9A-Za-z:])`;
const IPV4_CANDIDATE = String.raw`(?<![0-9.])\d{1,3}(?:\.\d{1,3}){3}(?![0-9]|\.\d)`;

type Kind = 'host' | 'domain' | 'user' | 'home' | 'ip';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function isHostName(text: string): boolean {
  return HOST_NAME.test(text) && /[A-Za-z]/.test(text) && !isIpv4(text) && !ANONYMOUS_HOSTS.has(text.toLowerCase());
}

/**
 * Replaces host names, IP addresses, user names and home directories with placeholders, the
 * same value always with the same placeholder (`host-1`, `domain-1`, `<ip-1>`, `user-1`,
 * `/home/user-1`). Values are learnt first from what the caller knows, then from every text
 * of the report (homes under /home, vhost names, URL hosts, the domain a known host name is
 * written with), so a value cannot slip through by appearing in another form elsewhere: a
 * host name inside an FQDN, a user inside a path, an IPv6 address spelt differently.
 */
export class Redactor {
  private readonly placeholders = new Map<string, string>();
  private readonly counters: Record<Kind, number> = { host: 0, domain: 0, user: 0, home: 0, ip: 0 };
  /** Searched values by kind, lowercase. */
  private readonly hosts = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly users = new Set<string>();
  private readonly homes = new Map<string, string>();
  /** Compiled with and without the IPv6 rule; cleared when a value is learnt. */
  private patterns: (RegExp | undefined)[] = [];

  constructor(known: KnownIdentities = {}) {
    for (const user of known.users ?? []) this.addUser(user.name, user.home);
    for (const host of known.hosts ?? []) this.addKnownHost(host);
  }

  /**
   * Learns the host of every URL in a command the probe ran (the diagnostic URL). Not used on
   * output, where URLs name public sites (os-release's HOME_URL) rather than the machine.
   */
  learnCommand(text: string): void {
    for (const m of text.matchAll(URL_HOST)) this.addHost(m[1]);
    this.learn(text);
  }

  /** Learns the values a text reveals; call for every text before redacting any. */
  learn(text: string): void {
    for (const m of text.matchAll(HOME_OWNER)) this.addUser(m[1]);
    for (const m of text.matchAll(APPLICATION_GROUP)) this.addHost(m[1]);
    for (const m of text.matchAll(VHOST_NAME)) this.addHost(m[1].replace(/^\*\./, ''));
    for (const host of [...this.hosts]) {
      if (host.includes('.')) continue;
      const written = new RegExp(String.raw`(?<![A-Za-z0-9])${escape(host)}\.([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)`, 'gi');
      for (const m of text.matchAll(written)) this.addDomain(m[1]);
    }
    this.patterns = [];
  }

  /** The placeholder of one host name, whatever its length (for fields that hold only the name). */
  hostPlaceholder(name: string): string {
    if (isIpv4(name) || isIpv6(name)) return this.placeholder('ip', isIpv6(name) ? canonicalIpv6(name) : name);
    return this.placeholder('host', name.toLowerCase().replace(/\.$/, ''));
  }

  redact(text: string): string {
    return this.replace(text, true);
  }

  private replace(text: string, withIpv6: boolean): string {
    return text.replace(this.compile(withIpv6), (match: string, ...groups: unknown[]) => {
      const named = groups[groups.length - 1] as Record<string, string | undefined>;
      if (named.ipv6 !== undefined) {
        // A candidate that only looks like an IPv6 address (a time, a hex pair) still gets the other rules.
        return isIpv6(match) ? (isAnonymousAddress(match) ? match : this.placeholder('ip', canonicalIpv6(match))) : this.replace(match, false);
      }
      if (named.ipv4 !== undefined) return isIpv4(match) && !isAnonymousAddress(match) ? this.placeholder('ip', match) : match;
      if (named.home !== undefined) return `/home/${this.placeholder('user', this.homes.get(match.toLowerCase())!)}`;
      if (named.user !== undefined) return this.placeholder('user', match.toLowerCase());
      if (named.domain !== undefined) return this.placeholder('domain', match.toLowerCase());
      return this.placeholder('host', match.toLowerCase());
    });
  }

  private compile(withIpv6: boolean): RegExp {
    const index = withIpv6 ? 0 : 1;
    const pattern = (this.patterns[index] ??= new RegExp(this.alternatives(withIpv6), 'gi'));
    pattern.lastIndex = 0;
    return pattern;
  }

  private alternatives(withIpv6: boolean): string {
    const words = (values: Iterable<string>) =>
      [...values]
        .filter((v) => v.length >= MIN_SEARCHED_LENGTH)
        .sort((a, b) => b.length - a.length)
        .map(escape);
    const bounded = (name: string, values: Iterable<string>) => {
      const list = words(values);
      return list.length ? String.raw`(?<${name}>(?<![A-Za-z0-9])(?:${list.join('|')})(?![A-Za-z0-9]))` : null;
    };
    const homes = words(this.homes.keys());
    const parts = [
      withIpv6 ? `(?<ipv6>${IPV6_CANDIDATE})` : null,
      `(?<ipv4>${IPV4_CANDIDATE})`,
      homes.length ? String.raw`(?<home>(?:${homes.join('|')})(?![A-Za-z0-9_.-]))` : null,
      bounded('domain', this.domains),
      bounded('host', this.hosts),
      bounded('user', this.users),
    ].filter((p): p is string => p !== null);
    return parts.join('|');
  }

  private addKnownHost(value: string): void {
    const name = value.trim().replace(/\.$/, '');
    if (!isHostName(name)) return;
    this.addHost(name);
    const dot = name.indexOf('.');
    if (dot > 0) {
      // The machine's short name is the same host wherever it appears; its domain is searched too.
      const short = name.slice(0, dot).toLowerCase();
      if (!this.placeholders.has(`host:${short}`)) this.placeholders.set(`host:${short}`, this.placeholder('host', name.toLowerCase()));
      this.addHost(short);
      this.addDomain(name.slice(dot + 1));
    }
  }

  private addHost(value: string): void {
    const name = value.replace(/\.$/, '');
    if (!isHostName(name)) return;
    const key = name.toLowerCase();
    if (!this.hosts.has(key)) {
      this.hosts.add(key);
      this.placeholder('host', key);
    }
  }

  private addDomain(value: string): void {
    const key = value.toLowerCase().replace(/\.$/, '');
    if (!key.includes('.') || !isHostName(key) || this.domains.has(key)) return;
    this.domains.add(key);
    this.placeholder('domain', key);
  }

  private addUser(name: string, home?: string): void {
    const key = name.toLowerCase();
    if (!key || SYSTEM_ACCOUNTS.has(key)) return;
    if (!this.users.has(key)) {
      this.users.add(key);
      this.placeholder('user', key);
    }
    if (home && home !== '/' && home.length >= MIN_SEARCHED_LENGTH) this.homes.set(home.replace(/\/+$/, '').toLowerCase(), key);
  }

  private placeholder(kind: Kind, key: string): string {
    const id = `${kind}:${key}`;
    let value = this.placeholders.get(id);
    if (value === undefined) {
      const n = ++this.counters[kind];
      value = kind === 'ip' ? `<ip-${n}>` : `${kind}-${n}`;
      this.placeholders.set(id, value);
    }
    return value;
  }
}

/**
 * The report with every identifying value replaced, in the summary, the findings and the raw
 * output alike. Check ids, statuses and the hash carry nothing identifying and are kept.
 */
export function redactReport(report: DiagnosticReport, known: KnownIdentities = {}): DiagnosticReport {
  const redactor = new Redactor({ ...known, hosts: [...(known.hosts ?? []), report.source.host] });
  const texts = (fn: (text: string) => string): DiagnosticReport => ({
    ...report,
    summary: { rows: report.summary.rows.map((row) => ({ ...row, value: fn(row.value) })) },
    findings: report.findings.map((f) => ({ ...f, message: fn(f.message) })),
    checks: report.checks.map((c) => ({
      ...c,
      ...(c.reason !== undefined ? { reason: fn(c.reason) } : {}),
      commands: c.commands.map(fn),
      stdout: fn(c.stdout),
      parts: c.parts.map((p) => ({ ...p, ...(p.command !== null ? { command: fn(p.command) } : {}), text: fn(p.text) })),
      unframed: fn(c.unframed),
      stderr: fn(c.stderr),
    })),
  });
  for (const check of report.checks) check.commands.forEach((c) => redactor.learnCommand(c));
  texts((text) => (redactor.learn(text), text));
  const redacted = texts((text) => redactor.redact(text));
  return { ...redacted, source: { ...report.source, host: redactor.hostPlaceholder(report.source.host) }, redacted: true };
}
