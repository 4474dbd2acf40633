import { CommandOutput } from './profile';

/**
 * Published captures come as one text, sometimes indented by whoever pasted them and with the
 * tool's stderr warnings (AH00558 and friends) mixed in. These turn one back into what the
 * command printed on each stream.
 */

/** Removes an indent the publisher added to every line. */
export function dedent(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/** Moves httpd's `AHnnnnn:` warning lines (and a blank line right after one) to stderr. */
export function splitWarnings(text: string, exitCode = 0): CommandOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let afterWarning = false;
  for (const line of text.split('\n')) {
    if (/^AH\d{5}:/.test(line)) {
      stderr.push(line);
      afterWarning = true;
      continue;
    }
    if (!(afterWarning && line === '')) stdout.push(line);
    afterWarning = false;
  }
  return { stdout: stdout.join('\n'), stderr: stderr.length ? `${stderr.join('\n')}\n` : '', exitCode };
}
