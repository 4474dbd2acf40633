const SPACE = /\s*/y;
const BARE = /\S+/y;

/**
 * Splits the arguments of one Apache directive line the way Apache does (ap_getword_conf):
 * whitespace-separated words, where a word may be wrapped in double or single quotes and a
 * backslash escapes the quote character or a backslash inside them.
 */
export function apacheWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  // A quoted word left open at the end of the line moves i past the end, where a sticky regex would restart at 0.
  while (i < line.length) {
    SPACE.lastIndex = i;
    SPACE.test(line);
    i = SPACE.lastIndex;
    if (i >= line.length) return words;
    const quote = line[i];
    if (quote === '"' || quote === "'") {
      const [word, next] = quotedWord(line, i + 1, quote);
      words.push(word);
      i = next;
    } else {
      BARE.lastIndex = i;
      BARE.test(line);
      words.push(line.slice(i, BARE.lastIndex));
      i = BARE.lastIndex;
    }
  }
  return words;
}

/** The word from `start` (just after the opening quote) to the closing quote, and where to go on. */
function quotedWord(line: string, start: number, quote: string): [string, number] {
  let word = '';
  let from = start;
  let i = start;
  while (i < line.length && line[i] !== quote) {
    if (line[i] === '\\' && (line[i + 1] === quote || line[i + 1] === '\\')) {
      word += line.slice(from, i);
      from = i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  return [word + line.slice(from, Math.min(i, line.length)), i + 1];
}
