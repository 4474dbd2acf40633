/**
 * Root filesystems of other Debian releases for the system suite, built with mmdebstrap from
 * Debian's archive and cached between runs on one machine. A root is keyed by its release, its
 * packages and build script and the archive's own `Date:` for that release (from its InRelease file), so it
 * is rebuilt when the archive moves on and reused otherwise. Without an answer from the
 * archive, the newest complete root of the release is reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { run, runOk } from '../fleet/processes';

export type Release = 'bookworm' | 'trixie' | 'sid';

/** What every release host runs: its own sshd, Apache with mod_wsgi for Python 3, curl, and useradd (passwd is no longer Essential in sid). */
export const ROOT_PACKAGES = ['openssh-server', 'apache2', 'libapache2-mod-wsgi-py3', 'python3', 'curl', 'passwd'] as const;

/**
 * What a root holds beyond the release: more packages, and a script run inside it as root
 * once the packages are in (with `deb-src` entries for its release, for `apt-get source`).
 */
export interface RootFlavour {
  /** Part of the cache directory's name (`<release>-<name>-<key>`). */
  name: string;
  packages: readonly string[];
  /** A shell script file run in the root by mmdebstrap's customize hook. */
  script?: string;
}

export const PACKAGED: RootFlavour = { name: 'packaged', packages: ROOT_PACKAGES };

/**
 * A release's packaged Apache and mod_wsgi, plus both built from source into /usr/local/apache2
 * (build-httpd.sh); with Debian's apache2-dev (an apxs built for the other Apache) and sudo, for
 * the source-built spec's mismatched-apxs and replaced-binary cases (roots keep no apt lists).
 */
export const SOURCE_BUILT: RootFlavour = {
  name: 'source-built',
  packages: [...ROOT_PACKAGES, 'build-essential', 'libapr1-dev', 'libaprutil1-dev', 'libpcre2-dev', 'python3-dev', 'apache2-dev', 'sudo'],
  script: join(__dirname, 'build-httpd.sh'),
};

/**
 * A release's packaged Apache and mod_wsgi, plus mod_wsgi-express pip-installed from mod_wsgi's
 * source tree into the virtual environment /opt/express-venv (build-express.sh), with what the
 * build needs and patchelf (to break the express module's libpython link for real).
 */
export const EXPRESS: RootFlavour = {
  name: 'express',
  packages: [...ROOT_PACKAGES, 'python3-venv', 'python3-dev', 'python3-setuptools', 'apache2-dev', 'gcc', 'patchelf'],
  script: join(__dirname, 'build-express.sh'),
};

/**
 * A release's packaged Apache and mod_wsgi, plus systemd for its journald and journalctl (not
 * as init: the host's Apache logs to stderr, and journald stores that stream as the unit's).
 */
export const JOURNAL: RootFlavour = { name: 'journal', packages: [...ROOT_PACKAGES, 'systemd'] };

/**
 * A release's packaged Apache and mod_wsgi with systemd as init (ReleaseHost `init: 'systemd'`),
 * dbus for the login user's `systemctl show` (a non-root systemctl asks over the system bus), and
 * binutils for readelf's NEEDED.
 */
export const SYSTEMD: RootFlavour = { name: 'systemd', packages: [...ROOT_PACKAGES, 'systemd', 'dbus', 'binutils'] };

export const ROOT_CACHE = process.env.DRIFTWATCH_ROOT_CACHE ?? '/var/cache/driftwatch-system/roots';

const ARCHIVE = 'http://deb.debian.org/debian';

/** The archive's Date: of the release's InRelease, or null when the archive does not answer. */
async function archiveDate(release: Release): Promise<string | null> {
  const head = await run('curl', ['-fsS', '--max-time', '15', '-r', '0-4095', `${ARCHIVE}/dists/${release}/InRelease`], { timeoutMs: 20_000 }).catch(() => null);
  return head && head.code === 0 ? (/^Date: (.+)$/m.exec(head.stdout)?.[1].trim() ?? null) : null;
}

function completeRoots(prefix: string): string[] {
  if (!existsSync(ROOT_CACHE)) return [];
  return readdirSync(ROOT_CACHE)
    .filter((name) => name.startsWith(prefix) && /^[0-9a-f]{12}$/.test(name.slice(prefix.length)) && existsSync(join(ROOT_CACHE, name, '.driftwatch-root')))
    .map((name) => join(ROOT_CACHE, name));
}

export interface ReleaseRoot {
  release: Release;
  dir: string;
  /** True when this run built it (a cold cache). */
  built: boolean;
  buildMs: number;
}

/** The cached root of `release` (and `flavour`), built first when the cache has none for the archive's current state. */
export async function releaseRoot(release: Release, flavour: RootFlavour = PACKAGED): Promise<ReleaseRoot> {
  return withCacheLock(`${release}-${flavour.name}`, () => cachedRoot(release, flavour));
}

/**
 * Runs `task` holding `<cache>/<name>.lock`, a directory holding the owner's pid: suites run
 * side by side (or two runs on one machine) wait for one build instead of removing each
 * other's. A lock whose owner is gone is taken over.
 */
async function withCacheLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  await mkdir(ROOT_CACHE, { recursive: true });
  const lock = join(ROOT_CACHE, `${name}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (!ownerAlive(lock)) await rm(lock, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    await writeFile(join(lock, 'pid'), `${process.pid}\n`);
    return await task();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

function ownerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    // Just created, its owner writing the pid; or left by an owner killed in between.
    return existsSync(lock) && Date.now() - statSync(lock).mtimeMs < 60_000;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function cachedRoot(release: Release, flavour: RootFlavour): Promise<ReleaseRoot> {
  const prefix = `${release}-${flavour.name}-`;
  const date = await archiveDate(release);
  if (date === null) {
    const [newest] = completeRoots(prefix).sort().reverse();
    if (newest) return { release, dir: newest, built: false, buildMs: 0 };
    throw new Error(`no cached ${release} ${flavour.name} root in ${ROOT_CACHE} and ${ARCHIVE} does not answer: mmdebstrap needs Debian's archive once`);
  }
  const script = flavour.script ? await readFile(flavour.script, 'utf8') : null;
  const key = createHash('sha256').update(JSON.stringify({ release, packages: flavour.packages, script, date })).digest('hex').slice(0, 12);
  const dir = join(ROOT_CACHE, `${prefix}${key}`);
  if (existsSync(join(dir, '.driftwatch-root'))) return { release, dir, built: false, buildMs: 0 };

  const started = Date.now();
  await mkdir(ROOT_CACHE, { recursive: true });
  const building = `${dir}.building`;
  // Builds cut short (this one's, or of an older key) leave their directory behind.
  for (const stale of readdirSync(ROOT_CACHE).filter((name) => name.startsWith(prefix) && name.endsWith('.building'))) await rm(join(ROOT_CACHE, stale), { recursive: true, force: true });
  // The archive reachable here may be a snapshot whose Release files have passed their Valid-Until.
  const aptopt = '--aptopt=Acquire::Check-Valid-Until "false"';
  const hooks = flavour.script
    ? [`--customize-hook=copy-in ${flavour.script} /tmp`, `--customize-hook=chroot "$1" /bin/sh -eu /tmp/${basename(flavour.script)}`, `--customize-hook=rm -f "$1/tmp/${basename(flavour.script)}"`]
    : [];
  const mirrors = [`deb ${ARCHIVE} ${release} main`, ...(flavour.script ? [`deb-src ${ARCHIVE} ${release} main`] : [])];
  await runOk('mmdebstrap', ['--quiet', '--variant=apt', aptopt, `--include=${flavour.packages.join(',')}`, ...hooks, release, building, ...mirrors], { timeoutMs: 1_800_000 });
  for (const old of completeRoots(prefix)) await rm(old, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
  await rename(building, dir);
  // Written last: a root without it (a build cut short) is never used.
  await writeFile(join(dir, '.driftwatch-root'), `${JSON.stringify({ release, flavour: flavour.name, packages: flavour.packages, archiveDate: date, builtAt: new Date().toISOString() })}\n`);
  return { release, dir, built: true, buildMs: Date.now() - started };
}
