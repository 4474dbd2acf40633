import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { nonEmptyLines } from '../util/text';

/** Binary names of Apache's parent and children: upstream/RHEL/Alpine/FreeBSD, Debian, SUSE's per-MPM binaries (httpd2-* before SLES 16). */
export const APACHE_BINARY_NAMES = ['httpd', 'apache2', 'httpd-prefork', 'httpd-worker', 'httpd-event', 'httpd2', 'httpd2-prefork', 'httpd2-worker', 'httpd2-event'] as const;

export function isApacheBinary(path: string): boolean {
  return (APACHE_BINARY_NAMES as readonly string[]).includes(path.replace(/^.*\//, ''));
}

/** What a running Apache was started with, from its command line. */
export interface ApacheCommandLine {
  /** argv[0] as the process shows it. */
  argv0: string;
  /** `-d`: the ServerRoot it was given; null when it uses the compiled-in HTTPD_ROOT. */
  serverRoot: string | null;
  /** `-f`: its main configuration file; null when it uses the compiled-in SERVER_CONFIG_FILE. */
  config: string | null;
  /** `-D NAME`, in order (SUSE's SYSCONFIG, mod_wsgi-express's MOD_WSGI_*…). */
  defines: string[];
  /** `-C` (before the configuration is read) and `-c` (after) directives. */
  directives: { before: string[]; after: string[] };
}

const VALUE_OPTIONS = new Set(['d', 'f', 'D', 'C', 'c', 'k', 'E', 'e', 'R']);

/**
 * Reads Apache's options from argv (exact words, as /proc/PID/cmdline has them). Options that
 * take a value accept it attached (`-DFOREGROUND`) or as the next word.
 */
export function parseApacheCommandLine(argv: readonly string[]): ApacheCommandLine {
  const out: ApacheCommandLine = { argv0: argv[0] ?? '', serverRoot: null, config: null, defines: [], directives: { before: [], after: [] } };
  for (let i = 1; i < argv.length; i++) {
    const m = /^-([A-Za-z])(.*)$/s.exec(argv[i]);
    if (!m || !VALUE_OPTIONS.has(m[1])) continue;
    let value = m[2];
    if (value === '') {
      if (i + 1 >= argv.length) break;
      value = argv[++i];
    }
    if (m[1] === 'd') out.serverRoot = value;
    else if (m[1] === 'f') out.config = value;
    else if (m[1] === 'D') out.defines.push(value);
    else if (m[1] === 'C') out.directives.before.push(value);
    else if (m[1] === 'c') out.directives.after.push(value);
  }
  return out;
}

/**
 * Words of a command line as `ps` prints it (argv joined by spaces): a `-C`/`-c` directive runs
 * until the next option, as SUSE's `-C PidFile /var/run/httpd.pid` is printed; double quotes
 * (systemctl status) group words.
 */
export function psArgv(command: string): string[] {
  const words: string[] = [];
  for (const m of command.matchAll(/"([^"]*)"|(\S+)/g)) words.push(m[1] ?? m[2]);
  const argv: string[] = [];
  for (let i = 0; i < words.length; i++) {
    argv.push(words[i]);
    if ((words[i] === '-C' || words[i] === '-c') && i + 1 < words.length) {
      const parts: string[] = [];
      while (i + 1 < words.length && !(parts.length > 0 && words[i + 1].startsWith('-'))) parts.push(words[++i]);
      argv.push(parts.join(' '));
    }
  }
  return argv;
}

export interface ListedApache extends ApacheCommandLine {
  pid: number;
  ppid: number;
  user: string;
}

export interface ApacheProcessesFacts {
  /** Apache parent processes: an Apache binary whose parent is not one. */
  parents: ListedApache[];
  /** How many Apache processes the listing has in all (parents and children). */
  processes: number;
}

/**
 * Reads a `ps -ef` listing (UID PID PPID … CMD, as pasted, other lines ignored) for the
 * Apache processes and their parents' command lines: which binary runs, with which -d/-f/-D/-C.
 */
export function parseApacheProcesses(text: string): CheckResult<ApacheProcessesFacts> {
  const listed: ListedApache[] = [];
  for (const line of nonEmptyLines(text)) {
    const words = line.trim().split(/\s+/);
    if (words.length < 4 || !/^\d+$/.test(words[1]) || !/^\d+$/.test(words[2])) continue;
    const at = words.findIndex((w, i) => i >= 3 && isApacheBinary(w));
    if (at < 0) continue;
    const command = line.trim().split(/\s+/).slice(at).join(' ');
    listed.push({ pid: Number(words[1]), ppid: Number(words[2]), user: words[0], ...parseApacheCommandLine(psArgv(command)) });
  }
  if (listed.length === 0) return failedWith('no Apache process in the listing', { stdout: text, stderr: '' });
  const pids = new Set(listed.map((p) => p.pid));
  return { status: 'ok', facts: { parents: listed.filter((p) => !pids.has(p.ppid)), processes: listed.length } };
}
