/** What the error-log specs share: the facts they read back, Apache's own time of a line, a request. */
import type { ReleaseHost } from './releases/release-host';

export interface Occurrence {
  count: number;
  firstAt: string | null;
  lastAt: string | null;
  lastLine: string;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Apache's `[Www Mmm dd hh:mm:ss.micro yyyy]` of a line, as the ISO-like local time the check reports. */
export function timeOf(line: string): string {
  const m = /^\[\w{3} (\w{3}) +(\d{1,2}) ([\d:.]+) (\d{4})\]/.exec(line);
  if (!m) throw new Error(`no time in: ${line}`);
  return `${m[4]}-${String(MONTHS.indexOf(m[1]) + 1).padStart(2, '0')}-${m[2].padStart(2, '0')}T${m[3]}`;
}

/** `curl` on the host itself, to its own address: the HTTP status (000 when the reply was empty). */
export async function httpStatus(host: ReleaseHost, address: string, path: string): Promise<string> {
  return (await host.sh(`curl -s -o /dev/null --max-time 20 -w '%{http_code}' http://${address}:8080${path} || true`)).trim();
}
