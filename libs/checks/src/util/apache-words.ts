/**
 * Splits the arguments of one Apache directive line the way Apache does (ap_getword_conf):
 * whitespace-separated words, where a word may be wrapped in double or single quotes and a
 * backslash escapes the quote character or a backslash inside them.
 */
export function apacheWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const quote = line[i] === '"' || line[i] === "'" ? line[i] : null;
    let word = '';
    if (quote) {
      i++;
      while (i < line.length && line[i] !== quote) {
        if (line[i] === '\\' && (line[i + 1] === quote || line[i + 1] === '\\')) i++;
        word += line[i++];
      }
      i++;
    } else {
      while (i < line.length && !/\s/.test(line[i])) word += line[i++];
    }
    words.push(word);
  }
  return words;
}
