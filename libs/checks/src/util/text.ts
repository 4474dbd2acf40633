/** Small text helpers shared by parsers. Pure; never throw on any string input. */

/** Normalizes line endings and splits into lines (CRLF, lone CR, LF). */
export function lines(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').split('\n');
}

/** Lines with surrounding whitespace removed and empty lines dropped. */
export function nonEmptyLines(text: string): string[] {
  return lines(text)
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}
