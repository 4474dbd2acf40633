import { lines } from '../util/text';

/**
 * One command's output inside a check's section. A fragment that runs several commands frames
 * each with the prelude's `dw_part`:
 *
 *     --- dw:<token>:begin NAME
 *     …the command's stdout and stderr, merged…
 *     --- dw:<token>:end NAME rc=N
 *
 * The token is the probe's nonce. Commands never see it (it is not exported), so the first
 * marker of a section fixes it and lines a command prints with another token are plain output.
 */
export interface Part {
  name: string;
  text: string;
  /** The command's exit status; null when the part never ended (output cut). */
  exitCode: number | null;
}

const MARKER = /^--- dw:([A-Za-z0-9]+):(begin|end) ([A-Za-z0-9._-]+)(?: rc=(\d+))?$/;

/** A section's stdout as framed: every part in order (repeats kept), and what it printed outside them. */
export interface FramedOutput {
  parts: Part[];
  /** Lines printed between parts, joined; empty when the fragment printed nothing unframed. */
  outside: string;
  /** The framing token (the probe's nonce), from the first marker; null when there is none. */
  token: string | null;
}

/** Reads the framing of a section's stdout, in order. */
export function framedOutput(stdout: string): FramedOutput {
  const parts: Part[] = [];
  const outside: string[] = [];
  let token: string | null = null;
  let open: { name: string; body: string[] } | null = null;
  const close = (exitCode: number | null) => {
    if (!open) return;
    const body = open.body;
    if (exitCode !== null && body.length > 0 && body[body.length - 1] === '') body.pop();
    parts.push({ name: open.name, text: body.join('\n'), exitCode });
    open = null;
  };
  for (const line of lines(stdout)) {
    const m = MARKER.exec(line);
    if (m && (token === null ? m[2] === 'begin' : m[1] === token)) {
      token = m[1];
      if (m[2] === 'begin') {
        close(null);
        open = { name: m[3], body: [] };
      } else if (open && open.name === m[3] && m[4] !== undefined) {
        close(Number(m[4]));
      }
      continue;
    }
    if (open) open.body.push(line);
    else outside.push(line);
  }
  close(null);
  return { parts, outside: outside.join('\n').trim() === '' ? '' : outside.join('\n'), token };
}

/** Splits a section's stdout into its parts, by name; a repeated name keeps the first. */
export function splitParts(stdout: string): Map<string, Part> {
  const parts = new Map<string, Part>();
  for (const part of framedOutput(stdout).parts) if (!parts.has(part.name)) parts.set(part.name, part);
  return parts;
}
