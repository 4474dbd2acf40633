/** Edits of `httpd -V` / `-v` output. Pure text functions. */

const MPM_TRAITS: Record<string, { threaded: string; forked: string }> = {
  event: { threaded: 'yes (fixed thread count)', forked: 'yes (variable process count)' },
  worker: { threaded: 'yes (fixed thread count)', forked: 'yes (variable process count)' },
  prefork: { threaded: 'no', forked: 'yes (variable process count)' },
};

export const KNOWN_MPMS = Object.keys(MPM_TRAITS);

/** Sets "Server MPM:" and the threaded/forked lines under it, keeping the layout. */
export function setBuildMpm(text: string, mpm: string): string {
  const traits = MPM_TRAITS[mpm];
  if (!traits) throw new Error(`unknown MPM ${mpm} (known: ${KNOWN_MPMS.join(', ')})`);
  return text
    .replace(/^(\s*Server MPM:[ \t]*)\S+[ \t]*$/m, `$1${mpm}`)
    .replace(/^(\s*threaded:[ \t]*).*$/m, `$1${traits.threaded}`)
    .replace(/^(\s*forked:[ \t]*).*$/m, `$1${traits.forked}`);
}

/** The version in "Server version: Apache/2.4.71 (Debian)". */
export function buildVersion(text: string): string | undefined {
  return /Apache\/(\d+(?:\.\d+)+)/.exec(text)?.[1];
}

export function setBuildVersion(text: string, version: string): string {
  return text.replace(/Apache\/\d+(?:\.\d+)+/g, `Apache/${version}`);
}

/** What `-v` prints: the first two lines of `-V`. */
export function shortVersion(text: string): string {
  return text
    .split('\n')
    .filter((line) => /Server (version|built):/.test(line))
    .map((line) => `${line}\n`)
    .join('');
}
