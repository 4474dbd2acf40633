import { shellQuote } from '@driftwatch/checks';

/**
 * Turns a profile's args pattern into sh `case` pattern text. As in sh, `|` separates
 * alternatives and `*`, `?` and bracket expressions are wildcards; every other character is
 * quoted, so spaces, quotes or `$` are matched literally and never become shell syntax.
 */
export function casePattern(pattern: string): string {
  return pattern.split('|').map(alternative).join('|');
}

function alternative(pattern: string): string {
  let out = '';
  let literal = '';
  const flush = () => {
    if (literal) out += shellQuote(literal);
    literal = '';
  };
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' || c === '?') {
      flush();
      out += c;
      continue;
    }
    if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      const body = close > 0 ? pattern.slice(i + 1, close) : '';
      if (/^!?[A-Za-z0-9_.:,/+=@%^-]+$/.test(body)) {
        flush();
        out += `[${body}]`;
        i = close;
        continue;
      }
    }
    literal += c;
  }
  flush();
  return out || "''";
}
