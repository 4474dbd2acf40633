import { CommandOutput } from './profile';

/**
 * A `dpkg-query -W` capture (taken with 2>&1) split back into its streams: package lines on
 * stdout, "no packages found matching" complaints on stderr, exit 1 when there are any.
 * `absent` patterns are taken out of the listing and complained about instead, to show the
 * same host without those packages.
 */
export function dpkgQuery(captured: string, absent: readonly string[] = []): CommandOutput {
  const lines = captured.split('\n').filter((line) => line !== '');
  const isComplaint = (line: string) => line.startsWith('dpkg-query: ');
  const isAbsent = (line: string) => {
    const name = line.split(' ')[0];
    return absent.some((p) => (p.endsWith('*') ? name.startsWith(p.slice(0, -1)) : name === p));
  };
  const stdout = lines.filter((line) => !isComplaint(line) && !isAbsent(line));
  const stderr = [...lines.filter(isComplaint), ...absent.map((p) => `dpkg-query: no packages found matching ${p}`)];
  const text = (list: string[]) => list.map((line) => `${line}\n`).join('');
  return { stdout: text(stdout), stderr: text(stderr), exitCode: stderr.length ? 1 : 0 };
}
