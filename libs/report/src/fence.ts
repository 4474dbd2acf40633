/**
 * A backtick fence longer than any run of backticks in `text`, so the block can hold any
 * output exactly (CommonMark closes a fence only with a run at least as long as its opener).
 */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** `text` in a fenced block; a final newline is added only when the text lacks one. */
export function fenced(text: string, info = 'text'): string {
  const fence = fenceFor(text);
  return `${fence}${info}\n${text}${text.endsWith('\n') ? '' : '\n'}${fence}`;
}

/** A table cell: pipes escaped, line breaks flattened. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
