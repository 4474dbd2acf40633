import { Check, CheckResult, RawSection } from '../check';
import { failedWith } from '../util/failure';
import { setKey } from '../util/records';
import { parseSectionWith } from '../util/section';
import { lines } from '../util/text';

export interface OsPackagesFacts {
  /** dpkg, rpm, apk, brew or pkg; null when the output came without the probe's note. */
  manager: string | null;
  /** The installed packages that matter here (Apache, mod_wsgi, Python), name → version. */
  packages: Record<string, string>;
  apache: string | null;
  modWsgi: string | null;
  python: string | null;
}

const APACHE = /^(apache2|httpd|apache24|apache22|apache2-bin|apache)$/;
const MOD_WSGI = /mod[-_]wsgi/;
const PYTHON = /^(python|python[23](\.?\d+)?|python@\d+(\.\d+)?)$/;
const DPKG_STATUS = /^(install|deinstall|purge|hold|unknown) (ok|reinstreq) (\S+)$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9+._@-]*$/;

/** Picks the first name (by the preference order given) that is installed. */
function pick(packages: Record<string, string>, prefer: RegExp[]): string | null {
  const names = Object.keys(packages);
  for (const re of prefer) {
    const name = names.find((n) => re.test(n));
    if (name) return packages[name];
  }
  return null;
}

/** One line of any manager's listing → [name, version], or null for noise and uninstalled packages. */
function entry(line: string): [string, string] | null {
  const words = line.trim().split(' ');
  if (words.length === 1) {
    const apk = /^(.+?)-(\d[^-\s]*-r\d+)$/.exec(words[0]);
    return apk ? [apk[1], apk[2]] : null;
  }
  const [name, ...rest] = words;
  if (!NAME.test(name) || /is not installed$/.test(line)) return null;
  const status = DPKG_STATUS.exec(rest.slice(-3).join(' '));
  if (status) return status[3] === 'installed' && rest[0] ? [name, rest[0]] : null;
  const version = rest.filter((w) => w.length > 0).join(' ');
  return version ? [name, version] : null;
}

/**
 * Parses the package listing of whichever manager the host has: `dpkg-query -W` lines
 * (`name version status`), `rpm -qa --qf` / `pkg query` / `brew list --versions` lines
 * (`name version…`), or `apk info -v` lines (`name-version-rN`).
 */
export function parseOsPackages(text: string, manager: string | null = null): CheckResult<OsPackagesFacts> {
  const packages: Record<string, string> = {};
  for (const line of lines(text)) {
    const e = entry(line);
    if (e && (APACHE.test(e[0]) || MOD_WSGI.test(e[0]) || PYTHON.test(e[0]))) setKey(packages, e[0], e[1]);
  }
  const meaningful = lines(text).some((l) => entry(l) !== null || DPKG_STATUS.test(l.trim().split(' ').slice(-3).join(' ')));
  if (!meaningful) return failedWith('no package listing in the output', { stdout: text, stderr: '' });
  return { status: 'ok', facts: summarize(packages, manager) };
}

function summarize(packages: Record<string, string>, manager: string | null): OsPackagesFacts {
  return {
    manager,
    packages,
    apache: pick(packages, [APACHE]),
    modWsgi: pick(packages, [MOD_WSGI]),
    python: pick(packages, [/^python3$/, /^python@?3/, /^python$/, PYTHON]),
  };
}

const DPKG_NAMES = `apache2 apache2-bin 'libapache2-mod-wsgi*' python3 'python3.[0-9]' 'python3.[0-9][0-9]' python python2`;
const RPM_NAMES = `httpd '*mod_wsgi*' python python2 python3 'python3[0-9]' 'python3[0-9][0-9]' 'python3.[0-9]*'`;

const SCRIPT = String.raw`
if dw_find dpkg-query; then
  dw_meta manager dpkg
  dw_meta cmd "dpkg-query -W -f '\${Package} \${Version} \${Status}\n' ${DPKG_NAMES}"
  "$dw_found" -W -f '${'$'}{Package} ${'$'}{Version} ${'$'}{Status}\n' ${DPKG_NAMES}
elif dw_find rpm; then
  dw_meta manager rpm
  dw_meta cmd "rpm -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n' ${RPM_NAMES}"
  "$dw_found" -qa --qf '%{NAME} %{VERSION}-%{RELEASE}\n' ${RPM_NAMES}
elif dw_find apk; then
  dw_meta manager apk
  dw_meta cmd 'apk info -v'
  "$dw_found" info -v
elif dw_find brew; then
  dw_meta manager brew
  dw_meta cmd 'brew list --versions'
  "$dw_found" list --versions
elif dw_find pkg; then
  dw_meta manager pkg
  dw_meta cmd "pkg query '%n %v'"
  "$dw_found" query '%n %v'
else
  dw_unavailable 'no package manager found (dpkg-query, rpm, apk, brew, pkg)'
fi
`;

export const osPackagesCheck: Check<OsPackagesFacts> = {
  id: 'packages.os',
  title: 'OS packages of Apache, mod_wsgi and Python',
  script: SCRIPT,
  parse(section: RawSection) {
    const manager = section.meta.manager ?? null;
    // dpkg-query names each pattern it could not match on stderr: a known absence, not a failure.
    if (section.stdout.trim() === '' && /no packages found matching/.test(section.stderr)) {
      return { status: 'ok', facts: summarize({}, manager) };
    }
    return parseSectionWith(section, (text) => parseOsPackages(text, manager));
  },
};
