/**
 * Path globs for DRIFT_IGNORE: `*` matches within one path segment, `**` across segments.
 * `python.runtime.packages.*` ignores every package; `**.pid` ignores any fact named pid.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i];
    if (ch === '*' && glob[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') {
      re += '[^.\\[\\]]*';
    } else {
      re += ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${re}(?:$|[.\\[])`);
}
