/**
 * Splits POSIX sh text into simple commands (separated by newlines, `;`, `&&`, `||`, `|`), each
 * a list of words with quotes and backslashes removed. Nothing is expanded: `"$@"` is the word
 * `$@`. Comments and backslash-newline continuations are honoured. Enough to read files such
 * as Apache's config.nice; never throws.
 */
export function shCommands(text: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  const src = text.replace(/\r\n?/g, '\n');
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === "'") {
      const close = src.indexOf("'", i + 1);
      const end = close < 0 ? src.length : close;
      word += src.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      inWord = true;
      i++;
      while (i < src.length && src[i] !== '"') {
        if (src[i] === '\\' && i + 1 < src.length && '$`"\\\n'.includes(src[i + 1])) {
          if (src[i + 1] !== '\n') word += src[i + 1];
          i += 2;
        } else {
          word += src[i++];
        }
      }
      i++;
    } else if (c === '\\') {
      if (src[i + 1] !== '\n' && i + 1 < src.length) {
        word += src[i + 1];
        inWord = true;
      }
      i += 2;
    } else if (c === '#' && !inWord) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '\n' || c === ';' || c === '|' || c === '&') {
      endCommand();
      i++;
    } else if (c === ' ' || c === '\t') {
      endWord();
      i++;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  endCommand();
  return commands;
}
