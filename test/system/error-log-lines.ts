/** What the error-log specs read back from apache.errorlog's facts, and Apache's own time of a line. */
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
