/**
 * The probe's revision, stored in every snapshot. Raise it whenever a check starts to report a
 * fact, a check or a finding it did not report before, and list what it started to observe:
 * a snapshot taken by an earlier revision never looked for those, so on the first scan after
 * an upgrade they are unknown on the old side, not "added" (and on a downgrade, not "removed").
 */
export const PROBE_REVISION = 4;

/** Snapshots stored before revisions existed were taken by revision 1. */
export const FIRST_PROBE_REVISION = 1;

export interface ProbeRevision {
  revision: number;
  /** Diff paths first observed by this revision: a check id, `<check id>.<fact>…`, or `findings.<id>`. */
  observes: readonly string[];
}

export const PROBE_REVISIONS: readonly ProbeRevision[] = [
  {
    revision: 2,
    observes: [
      'apache.errorlog',
      'apache.build.discovery',
      'findings.running-apache-not-on-path',
      'findings.apache-binary-replaced',
      'findings.apxs-other-apache',
      'apache.mutex.acceptDirective',
      'apache.mutex.apacheAccept',
      'apache.mutex.aprHeader',
      'apache.mutex.aprHeaderWrapper',
      'apache.mutex.configErrorAt',
      'apache.mutex.listed',
      'apache.mutex.wsgiAccept',
      'modwsgi.linkage.apacheEnvironment',
      'modwsgi.linkage.needed',
      'modwsgi.linkage.neededFrom',
      'modwsgi.linkage.resolvedBy',
      'modwsgi.linkage.runpath',
      'modwsgi.linkage.resolutions.loginShell',
      'python.config.configSource',
    ],
  },
  {
    revision: 3,
    observes: [
      'python.home',
      'python.processes',
      'python.config.processGroups',
      'python.config.modPython',
      'python.config.perInterpreterGil',
      'python.config.freeThreading',
      'python.runtime.python.basePrefix',
      'python.runtime.diagErrors',
      'findings.daemon-group-unused',
      'findings.embedded-not-daemon',
      'findings.stdlib-incomplete',
      'findings.wsgi-multithread-unexpected',
      'findings.wsgi-multiprocess-unexpected',
      'findings.mod-python-loaded',
      'findings.python-home-missing',
      'findings.python-home-not-directory',
      'findings.python-home-unreadable',
      'findings.python-home-version-mismatch',
      'findings.python-home-stdlib-incomplete',
      'findings.libpython-outside-prefix',
      'findings.daemon-process-count-mismatch',
      'findings.daemon-thread-count-mismatch',
      'findings.libpython-mapped-differs',
      'findings.errorlog-daemon-response-failed',
    ],
  },
  {
    revision: 4,
    observes: [
      'apache.instances',
      'findings.instance-apr-loaded-compiled-mismatch',
      'findings.instance-wsgi-not-loaded',
      'findings.instance-modwsgi-static-python',
      'findings.instance-libpython-not-found',
      'findings.instance-libpython-ld-library-path-sensitive',
      'findings.instance-python-home-missing',
      'findings.instance-python-home-not-directory',
      'findings.instance-python-home-unreadable',
      'findings.instance-python-home-version-mismatch',
      'findings.instance-python-home-stdlib-incomplete',
    ],
  },
];

/** Whether `path` (a diff path) is something a revision in (from, to] started to observe. */
export function firstObservedBetween(path: string, fromRevision: number, toRevision: number): number | undefined {
  const [low, high] = fromRevision <= toRevision ? [fromRevision, toRevision] : [toRevision, fromRevision];
  for (const { revision, observes } of PROBE_REVISIONS) {
    if (revision <= low || revision > high) continue;
    if (observes.some((p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`))) return revision;
  }
  return undefined;
}
