/**
 * What a fleet host really has, read on the host itself as root (not through the collector):
 * the reference the collected facts are compared with, and small helpers to change the host.
 */
import type { RealHost } from '../fleet/real-fleet';

export const MOD_WSGI_SO = '/usr/lib/apache2/modules/mod_wsgi.so';
export const SITE_CONF = '/etc/apache2/sites-available/driftwatch.conf';
export const ENVVARS = '/etc/apache2/envvars';

/** Runs `command` as root on the host; throws with its output when it exits non-zero. */
export async function sh(host: RealHost, command: string): Promise<string> {
  const result = await host.exec(command);
  if (result.code !== 0) {
    throw new Error(`host ${host.name}: '${command}' exited ${result.code}: ${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}

export interface HostTruth {
  /** `Server MPM:` of `apache2ctl -V`, lowercase. */
  mpm: string;
  /** `threaded:` of `apache2ctl -V`. */
  threaded: boolean;
  /** `Apache/x.y.z` of `apache2ctl -V`. */
  apacheVersion: string;
  /** Names of `apache2ctl -M`, in its order. */
  modules: string[];
  /** `libpython… => path` of `ldd mod_wsgi.so` (no LD_LIBRARY_PATH). */
  libpython: { name: string; path: string };
  /** The diagnostic app's JSON, fetched on the host; null when its URL is not served (404). */
  diag: Record<string, unknown> | null;
  /** dpkg's version of apache2. */
  apachePackage: string;
}

export async function hostTruth(host: RealHost): Promise<HostTruth> {
  const v = await sh(host, 'apache2ctl -V');
  const m = await sh(host, 'apache2ctl -M');
  const ldd = await sh(host, `env -u LD_LIBRARY_PATH ldd ${MOD_WSGI_SO}`);
  const lib = /^\s*(libpython\S+)\s+=>\s+(\S+)/m.exec(ldd);
  if (!lib) throw new Error(`host ${host.name}: no libpython in ldd output:\n${ldd}`);
  const code = (await sh(host, `curl -sS -o /dev/null -w '%{http_code}' ${host.diagUrl}`)).trim();
  const diag = code === '404' ? null : (JSON.parse(await sh(host, `curl -fsS ${host.diagUrl}`)) as Record<string, unknown>);
  return {
    mpm: must(/Server MPM:\s+(\S+)/.exec(v), 'Server MPM').toLowerCase(),
    threaded: must(/^\s*threaded:\s+(yes|no)/m.exec(v), 'threaded') === 'yes',
    apacheVersion: must(/Server version:\s+Apache\/(\S+)/.exec(v), 'Server version'),
    modules: [...m.matchAll(/^\s*(\w+_module)\s+\((?:static|shared)\)/gm)].map((x) => x[1]),
    libpython: { name: lib[1], path: lib[2] },
    diag,
    apachePackage: (await sh(host, "dpkg-query -W -f '${Version}' apache2")).trim(),
  };
}

function must(match: RegExpExecArray | null, what: string): string {
  if (!match) throw new Error(`no ${what} in apache2ctl -V`);
  return match[1];
}
