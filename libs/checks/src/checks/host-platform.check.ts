import { Check, CheckResult, RawSection } from '../check';
import { splitParts } from '../probe/parts';
import { failedWith } from '../util/failure';
import { nonEmptyLines } from '../util/text';

export interface HostPlatformFacts {
  /** os-release ID (debian, ubuntu, rhel, rocky, alpine, freebsd…), macos, or the kernel name. */
  os: string | null;
  osVersion: string | null;
  prettyName: string | null;
  /** Kernel name and release: "Linux 6.1.0-18-amd64". */
  kernel: string | null;
  arch: string | null;
}

/** KEY=value lines of os-release: values may be double- or single-quoted, with \-escapes in double quotes. */
export function parseOsRelease(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of nonEmptyLines(text)) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if (/^".*"$/.test(value) && value.length >= 2) value = value.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
    else if (/^'.*'$/.test(value) && value.length >= 2) value = value.slice(1, -1);
    out.set(m[1], value);
  }
  return out;
}

function swVers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of nonEmptyLines(text)) {
    const m = /^(\w+):\s*(.*)$/.exec(line);
    if (m) out.set(m[1], m[2].trim());
  }
  return out;
}

export function parseHostPlatform(section: RawSection): CheckResult<HostPlatformFacts> {
  const parts = splitParts(section.stdout);
  const uname = nonEmptyLines(parts.get('uname')?.text ?? '')[0]?.split(/\s+/) ?? [];
  const unameOk = uname.length === 3;
  const osRelease = parseOsRelease(parts.get('os-release')?.text ?? '');
  const mac = swVers(parts.get('sw_vers')?.text ?? '');
  const facts: HostPlatformFacts = {
    os: osRelease.get('ID') ?? (mac.has('ProductVersion') ? 'macos' : unameOk ? uname[0].toLowerCase() : null),
    osVersion: osRelease.get('VERSION_ID') ?? mac.get('ProductVersion') ?? null,
    prettyName: osRelease.get('PRETTY_NAME') ?? (mac.has('ProductName') ? `${mac.get('ProductName')} ${mac.get('ProductVersion') ?? ''}`.trim() : null),
    kernel: unameOk ? `${uname[0]} ${uname[1]}` : null,
    arch: unameOk ? uname[2] : null,
  };
  if (!facts.os && !facts.kernel) return failedWith('neither uname nor os-release gave the platform', section);
  return { status: 'ok', facts };
}

const SCRIPT = String.raw`
dw_meta cmd 'uname -srm'
dw_part uname uname -srm
dw_osr=${'$'}{DRIFTWATCH_OS_RELEASE:-/etc/os-release}
[ -n "${'$'}{DRIFTWATCH_OS_RELEASE-}" ] || [ -f "$dw_osr" ] || dw_osr=/usr/lib/os-release
if [ -f "$dw_osr" ]; then
  dw_meta cmd "cat $dw_osr"
  dw_part os-release cat "$dw_osr"
elif dw_find sw_vers; then
  dw_meta cmd sw_vers
  dw_part sw_vers "$dw_found"
fi
`;

export const hostPlatformCheck: Check<HostPlatformFacts> = {
  id: 'host.platform',
  title: 'Operating system and kernel (uname -srm, os-release)',
  script: SCRIPT,
  parse: parseHostPlatform,
};
