/**
 * Root filesystems of other Debian releases for the system suite, built with mmdebstrap from
 * Debian's archive and cached between runs on one machine. A root is keyed by its release, its
 * package list and the archive's own `Date:` for that release (from its InRelease file), so it
 * is rebuilt when the archive moves on and reused otherwise. Without an answer from the
 * archive, the newest complete root of the release is reused.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOk } from '../fleet/processes';

export type Release = 'bookworm' | 'trixie' | 'sid';

/** What every release host runs: its own sshd, Apache with mod_wsgi for Python 3, curl, and useradd (passwd is no longer Essential in sid). */
export const ROOT_PACKAGES = ['openssh-server', 'apache2', 'libapache2-mod-wsgi-py3', 'python3', 'curl', 'passwd'] as const;

export const ROOT_CACHE = process.env.DRIFTWATCH_ROOT_CACHE ?? '/var/cache/driftwatch-system/roots';

const ARCHIVE = 'http://deb.debian.org/debian';

/** The archive's Date: of the release's InRelease, or null when the archive does not answer. */
async function archiveDate(release: Release): Promise<string | null> {
  const head = await run('curl', ['-fsS', '--max-time', '15', '-r', '0-4095', `${ARCHIVE}/dists/${release}/InRelease`], { timeoutMs: 20_000 }).catch(() => null);
  return head && head.code === 0 ? (/^Date: (.+)$/m.exec(head.stdout)?.[1].trim() ?? null) : null;
}

function completeRoots(release: Release): string[] {
  if (!existsSync(ROOT_CACHE)) return [];
  return readdirSync(ROOT_CACHE)
    .filter((name) => name.startsWith(`${release}-`) && !name.endsWith('.building') && existsSync(join(ROOT_CACHE, name, '.driftwatch-root')))
    .map((name) => join(ROOT_CACHE, name));
}

export interface ReleaseRoot {
  release: Release;
  dir: string;
  /** True when this run built it (a cold cache). */
  built: boolean;
  buildMs: number;
}

/** The cached root of `release`, built first when the cache has none for the archive's current state. */
export async function releaseRoot(release: Release): Promise<ReleaseRoot> {
  const date = await archiveDate(release);
  if (date === null) {
    const [newest] = completeRoots(release).sort().reverse();
    if (newest) return { release, dir: newest, built: false, buildMs: 0 };
    throw new Error(`no cached ${release} root in ${ROOT_CACHE} and ${ARCHIVE} does not answer: mmdebstrap needs Debian's archive once`);
  }
  const key = createHash('sha256').update(JSON.stringify({ release, packages: ROOT_PACKAGES, date })).digest('hex').slice(0, 12);
  const dir = join(ROOT_CACHE, `${release}-${key}`);
  if (existsSync(join(dir, '.driftwatch-root'))) return { release, dir, built: false, buildMs: 0 };

  const started = Date.now();
  await mkdir(ROOT_CACHE, { recursive: true });
  const building = `${dir}.building`;
  await rm(building, { recursive: true, force: true });
  // The archive reachable here may be a snapshot whose Release files have passed their Valid-Until.
  const aptopt = '--aptopt=Acquire::Check-Valid-Until "false"';
  await runOk('mmdebstrap', ['--quiet', '--variant=apt', aptopt, `--include=${ROOT_PACKAGES.join(',')}`, release, building, ARCHIVE], { timeoutMs: 900_000 });
  for (const old of completeRoots(release)) await rm(old, { recursive: true, force: true });
  await rm(dir, { recursive: true, force: true });
  await rename(building, dir);
  // Written last: a root without it (a build cut short) is never used.
  await writeFile(join(dir, '.driftwatch-root'), `${JSON.stringify({ release, packages: ROOT_PACKAGES, archiveDate: date, builtAt: new Date().toISOString() })}\n`);
  return { release, dir, built: true, buildMs: Date.now() - started };
}
