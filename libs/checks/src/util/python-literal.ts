import { setKey } from './records';

/**
 * Reads the Python literals that `repr()` prints (str/bytes/unicode with their prefixes and
 * escapes, numbers, True/False/None, lists, tuples, dicts), as the guide's diagnostic script
 * shows them. Pure and total: any input gives a value or null, never an exception.
 */
export type PyValue = string | number | boolean | null | PyValue[] | { [key: string]: PyValue };

const MAX_DEPTH = 32;

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  value(depth: number): PyValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    this.skipSpace();
    const rest = this.text.slice(this.pos, this.pos + 8);
    const c = this.text[this.pos];
    if (c === '[') return this.sequence(']', depth);
    if (c === '(') return this.sequence(')', depth);
    if (c === '{') return this.dict(depth);
    const str = /^([uUbBrR]{0,2})(['"])/.exec(rest);
    if (str) {
      this.pos += str[1].length;
      return this.string(/r/i.test(str[1]));
    }
    const word = /^(True|False|None)\b/.exec(rest);
    if (word) {
      this.pos += word[1].length;
      return word[1] === 'True' ? true : word[1] === 'False' ? false : null;
    }
    const num = /^[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?L?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (num) {
      this.pos += num[0].length;
      return Number(num[0].replace(/L$/, ''));
    }
    return undefined;
  }

  private sequence(end: string, depth: number): PyValue[] | undefined {
    this.pos++;
    const items: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === end) {
        this.pos++;
        return items;
      }
      const item = this.value(depth + 1);
      if (item === undefined) return undefined;
      items.push(item);
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== end) return undefined;
    }
  }

  private dict(depth: number): { [key: string]: PyValue } | undefined {
    this.pos++;
    const out: { [key: string]: PyValue } = {};
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return out;
      }
      const key = this.value(depth + 1);
      this.skipSpace();
      if (key === undefined || this.text[this.pos] !== ':') return undefined;
      this.pos++;
      const value = this.value(depth + 1);
      if (value === undefined) return undefined;
      setKey(out, String(key), value);
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      else if (this.text[this.pos] !== '}') return undefined;
    }
  }

  private string(raw: boolean): string | undefined {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++];
      if (c === quote) return out;
      if (c === '\n') return undefined;
      if (c !== '\\') {
        out += c;
        continue;
      }
      if (this.pos >= this.text.length) return undefined;
      const e = this.text[this.pos++];
      if (raw) {
        out += `\\${e}`;
        continue;
      }
      out += this.escape(e);
    }
    return undefined;
  }

  private escape(e: string): string {
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };
    if (e in simple) return simple[e];
    const hexLength = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.text.slice(this.pos, this.pos + hexLength);
      if (/^[0-9a-fA-F]+$/.test(hex) && hex.length === hexLength) {
        this.pos += hexLength;
        const code = parseInt(hex, 16);
        return code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
      }
      return `\\${e}`;
    }
    if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{0,2}/.exec(this.text.slice(this.pos))![0];
      this.pos += oct.length;
      return String.fromCharCode(parseInt(e + oct, 8));
    }
    return `\\${e}`;
  }
}

/**
 * Parses one literal at the start of `text`. Whatever follows it (a stray backslash a
 * publisher left, trailing spaces) is returned in `rest`; null when no literal is there.
 */
export function parsePythonLiteral(text: string): { value: PyValue; rest: string } | null {
  const reader = new Reader(text);
  const value = reader.value(0);
  return value === undefined ? null : { value, rest: text.slice(reader.pos) };
}
