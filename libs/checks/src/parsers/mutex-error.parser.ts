import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { joinContinuations } from '../util/text';

export interface MutexErrorFacts {
  /** The directive the message is about: Mutex, AcceptMutex, WSGIAcceptMutex, SSLMutex… */
  directive: string | null;
  /** False when Apache does not know the directive at all (AcceptMutex on 2.4). */
  supported: boolean;
  /** The mechanisms the message lists, in its order, without `:/path/to/file` suffixes. */
  available: string[] | null;
}

/** How each wording names its directive; the list of mechanisms is what follows the match. */
const LISTS: [RegExp, string | null][] = [
  [/\(Mutex mechanisms are:(.*)$/, 'Mutex'],
  [/Valid accept mutex mechanisms for this platform are:(.*)$/, 'WSGIAcceptMutex'],
  [/Valid accept mutexes for this platform and MPM are:(.*)$/, 'AcceptMutex'],
  [/Valid (\S+) mechanisms are:(.*)$/, null],
];

function mechanisms(list: string): string[] {
  return list
    .replace(/\)\s*$/, '')
    .split(',')
    .map((item) => item.trim().replace(/^[`'"]+|[`'".]+$/g, '').replace(/:.*$/, '').trim())
    .filter((item) => /^[A-Za-z_][\w-]*$/.test(item));
}

/**
 * Parses the error `httpd -t` prints for an invalid mutex mechanism (the guide's trick for
 * listing what a platform supports), or mod_info's SSLMutex line: the available mechanisms.
 */
export function parseMutexError(text: string): CheckResult<MutexErrorFacts> {
  for (const line of joinContinuations(text).replace(/[ \t]+/g, ' ').split('\n')) {
    const unknown = /Invalid command '([^']+)'/.exec(line);
    if (unknown) return { status: 'ok', facts: { directive: unknown[1], supported: false, available: null } };
    for (const [re, directive] of LISTS) {
      const m = re.exec(line);
      if (!m) continue;
      const list = directive === null ? m[2] : m[1];
      const available = mechanisms(list);
      if (available.length > 0) return { status: 'ok', facts: { directive: directive ?? m[1], supported: true, available } };
    }
  }
  return failedWith('no list of mutex mechanisms in the output', { stdout: text, stderr: '' });
}
