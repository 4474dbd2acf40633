/** Small text helpers shared by parsers. Pure; never throw on any string input. */

/** Normalizes line endings and splits into lines (CRLF, lone CR, LF). A leading BOM is dropped. */
export function lines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
}

/** Lines with surrounding whitespace removed and empty lines dropped. */
export function nonEmptyLines(text: string): string[] {
  return lines(text)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/**
 * Removes what people put in front of pasted command output: indentation, e-mail `>` quotes,
 * `#` comment marks, `*`/`•` bullets and `//` comment marks, then trims the line.
 * Only for outputs whose own lines never start with those characters (-V, -l, -M, diagnostics).
 */
export function unmangle(line: string): string {
  return line.replace(/^(?:\s|>|#|\/\/|\*(?=\s)|•)+/, '').trim();
}

/** Unmangled, non-empty lines. */
export function cleanLines(text: string): string[] {
  return lines(text)
    .map(unmangle)
    .filter((l) => l.length > 0);
}

/** Joins lines that end with a backslash to the next one (shell and Apache continuation). */
export function joinContinuations(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\\[ \t]*\n[ \t]*/g, ' ');
}

/** "3.11.2 (main, …)" → "3.11.2"; "libpython3.5m" style inputs are handled by callers. */
export function leadingVersion(text: string): string | null {
  return /^\s*['"]?v?(\d+(?:\.\d+)*)/.exec(text)?.[1] ?? null;
}

/** Major.minor of a dotted version ("3.11.2" → "3.11"), or null. */
export function majorMinor(version: string | null | undefined): string | null {
  return version ? (/^(\d+\.\d+)/.exec(version)?.[1] ?? null) : null;
}
