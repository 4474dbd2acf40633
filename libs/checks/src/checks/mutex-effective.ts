import type { RunCfgMutex } from '../parsers/run-cfg.parser';

/** A Mutex / AcceptMutex / WSGIAcceptMutex directive as the probe found it. */
export interface MutexDirective {
  name: string;
  args: string[];
  file: string | null;
}

/** Which mechanism a set of processes really uses, and what decided it. */
export interface EffectiveMutex {
  /** In the directives' terms: flock, fcntl, sysvsem, posixsem, pthread…; null when unknown. */
  mechanism: string | null;
  /**
   * What chose it: a directive, APR's platform default (the first APR_USE_*_SERIALIZE), or the
   * MPM, which takes no accept mutex at all (event: mechanism `none`).
   */
  from: 'Mutex mpm-accept' | 'Mutex default' | 'AcceptMutex' | 'WSGIAcceptMutex' | 'APR default' | 'MPM' | null;
  /** Why the mechanism is unknown, or why none is used. */
  reason?: string;
}

/** APR's macro names against the directives' mechanism names (PROC_PTHREAD is `pthread`). */
export function directiveMechanism(aprName: string): string {
  const name = aprName.toLowerCase();
  return name === 'proc_pthread' ? 'pthread' : name;
}

/** `flock:/run/lock/apache2` → flock; `file:…` is fcntl or flock, whichever APR prefers, so kept. */
function mechanismOf(arg: string): string {
  return arg.replace(/:.*$/, '').toLowerCase();
}

function last(directives: MutexDirective[] | null, name: string): MutexDirective | undefined {
  return directives?.filter((d) => d.name.toLowerCase() === name.toLowerCase()).at(-1);
}

function aprDefault(aprMechanism: string | null, why: string): EffectiveMutex {
  return aprMechanism
    ? { mechanism: directiveMechanism(aprMechanism), from: 'APR default' }
    : { mechanism: null, from: 'APR default', reason: `${why}, and APR's default is unknown (no apr.h and no APR_USE_*_SERIALIZE in httpd -V)` };
}

/** `Mutex MECH [NAME…]`: the names it sets (none given means `default`). */
function mutexNames(d: MutexDirective): string[] {
  return d.args.length > 1 ? d.args.slice(1).map((n) => n.toLowerCase()) : ['default'];
}

/**
 * The accept mutex of Apache's children. 2.4: the `mpm-accept` mutex of DUMP_RUN_CFG (what
 * Apache parsed; absent when the MPM takes none, as event), else of the Mutex directives;
 * `using_defaults` falls to `Mutex default`, whose `default` falls to APR. 2.2 has no Mutex
 * directive: AcceptMutex, else APR.
 */
export function apacheAcceptMutex(
  has24Mutex: boolean | null,
  runCfg: RunCfgMutex[] | null,
  directives: MutexDirective[] | null,
  aprMechanism: string | null,
): EffectiveMutex {
  if (has24Mutex === false) {
    const accept = last(directives, 'AcceptMutex');
    if (accept?.args[0] && accept.args[0].toLowerCase() !== 'default') return { mechanism: mechanismOf(accept.args[0]), from: 'AcceptMutex' };
    if (directives === null) return { mechanism: null, from: null, reason: 'the AcceptMutex directives could not be read' };
    return aprDefault(aprMechanism, 'no AcceptMutex is set');
  }
  if (runCfg !== null && runCfg.length > 0) {
    const accept = runCfg.find((m) => m.name === 'mpm-accept');
    if (!accept) return { mechanism: 'none', from: 'MPM', reason: 'this MPM registers no mpm-accept mutex (only prefork and worker serialise accept; event does not)' };
    if (accept && !accept.usingDefaults && accept.mechanism && accept.mechanism !== 'default') return { mechanism: accept.mechanism, from: 'Mutex mpm-accept' };
    const fallback = runCfg.find((m) => m.name === 'default');
    if (fallback?.mechanism && fallback.mechanism !== 'default') return { mechanism: fallback.mechanism, from: 'Mutex default' };
    return aprDefault(aprMechanism, 'Mutex default is `default`');
  }
  if (directives === null) return { mechanism: null, from: null, reason: 'neither DUMP_RUN_CFG nor the Mutex directives could be read' };
  const mutexes = directives.filter((d) => d.name.toLowerCase() === 'mutex' && d.args.length > 0);
  const accept = mutexes.filter((d) => mutexNames(d).includes('mpm-accept')).at(-1);
  if (accept && mechanismOf(accept.args[0]) !== 'default') return { mechanism: mechanismOf(accept.args[0]), from: 'Mutex mpm-accept' };
  const fallback = mutexes.filter((d) => mutexNames(d).includes('default')).at(-1);
  if (fallback && mechanismOf(fallback.args[0]) !== 'default') return { mechanism: mechanismOf(fallback.args[0]), from: 'Mutex default' };
  return aprDefault(aprMechanism, 'no Mutex sets mpm-accept or default');
}

/**
 * The accept mutex of mod_wsgi's daemon process groups: WSGIAcceptMutex; on Apache 2.2 (and
 * older) an AcceptMutex governs them too when WSGIAcceptMutex is not set; else APR's default.
 * Mutex never affects mod_wsgi.
 */
export function wsgiAcceptMutex(has24Mutex: boolean | null, directives: MutexDirective[] | null, aprMechanism: string | null): EffectiveMutex {
  if (directives === null) return { mechanism: null, from: null, reason: 'the WSGIAcceptMutex directives could not be read' };
  const wsgi = last(directives, 'WSGIAcceptMutex');
  if (wsgi?.args[0]) {
    return wsgi.args[0].toLowerCase() === 'default' ? aprDefault(aprMechanism, 'WSGIAcceptMutex is `default`') : { mechanism: mechanismOf(wsgi.args[0]), from: 'WSGIAcceptMutex' };
  }
  const accept = has24Mutex === false ? last(directives, 'AcceptMutex') : undefined;
  if (accept?.args[0] && accept.args[0].toLowerCase() !== 'default') return { mechanism: mechanismOf(accept.args[0]), from: 'AcceptMutex' };
  if (has24Mutex === null && last(directives, 'AcceptMutex')) {
    return { mechanism: null, from: null, reason: 'AcceptMutex is set and the Apache version is unknown (2.2 applies it to daemon groups, 2.4 does not)' };
  }
  return aprDefault(aprMechanism, 'no WSGIAcceptMutex is set');
}
