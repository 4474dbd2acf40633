import { apacheWords } from '../util/apache-words';
import { lines } from '../util/text';

export interface ConfigDirective {
  name: string;
  args: string[];
  /** Where it was found, when the probe located it (`dw_directives`); null for pasted config. */
  file: string | null;
  line: number | null;
}

/**
 * Reads directive lines: the probe's `FILE<TAB>LINE<TAB>text` form, or plain configuration
 * text (what `mod_wsgi-express module-config` prints). Comments, section tags and blank lines
 * are skipped; backslash continuations must already be joined.
 */
export function parseDirectiveLines(text: string): ConfigDirective[] {
  const out: ConfigDirective[] = [];
  for (const raw of lines(text)) {
    const located = /^([^\t]*)\t(\d+)\t(.*)$/.exec(raw);
    const body = (located ? located[3] : raw).trim();
    const words = apacheWords(body);
    if (words.length === 0 || !/^[A-Za-z][A-Za-z0-9_]*$/.test(words[0])) continue;
    out.push({
      name: words[0],
      args: words.slice(1),
      file: located ? located[1] : null,
      line: located ? Number(located[2]) : null,
    });
  }
  return out;
}

/** Directives whose name is one of `names`, compared without case as Apache does. */
export function named(directives: ConfigDirective[], ...names: string[]): ConfigDirective[] {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  return directives.filter((d) => wanted.has(d.name.toLowerCase()));
}
