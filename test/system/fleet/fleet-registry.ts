/**
 * A record of each running fleet in /run/driftwatch-fleet/, so that a fleet whose test process
 * died without tearing it down (killed jest, CI timeout) is torn down by the next start:
 * the processes of its namespaces, its user, its directory.
 *
 * A recorded namespace is trusted only while a process in it still shows the fleet's own
 * directory in its mount table, so a namespace inode reused by someone else is never touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isAlive, pidsInMountNamespace, startTimeOf, terminate } from './processes';
import { removeThrowawayUser } from './throwaway-user';

export const REGISTRY_DIR = '/run/driftwatch-fleet';

export interface FleetRecord {
  ownerPid: number;
  ownerStartTime: string | null;
  user: string;
  dir: string;
  /** Mount namespaces (`mnt:[inode]`) of the fleet's hosts. */
  namespaces: string[];
}

export function recordPath(dir: string): string {
  return join(REGISTRY_DIR, `${basename(dir)}.json`);
}

export async function writeRecord(record: FleetRecord): Promise<void> {
  await mkdir(REGISTRY_DIR, { recursive: true, mode: 0o700 });
  await writeFile(recordPath(record.dir), JSON.stringify(record, null, 2));
}

export async function removeRecord(dir: string): Promise<void> {
  await rm(recordPath(dir), { force: true });
}

/** Processes of `namespace` that belong to the fleet in `dir` (see the module comment). */
export function fleetPidsIn(namespace: string, dir: string): number[] {
  const pids = pidsInMountNamespace(namespace);
  const anchored = pids.some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/mountinfo`, 'utf8').includes(`${basename(dir)}/`);
    } catch {
      return false;
    }
  });
  return anchored ? pids : [];
}

/**
 * Ends every process of the fleet's namespaces, repeating while any appear (Apache respawns).
 * SIGKILL follows SIGTERM after one second: a mod_wsgi daemon process that has served a
 * request takes about three seconds to exit on SIGTERM (its sub-interpreter teardown stalls
 * until a fail-safe fires), and nothing of a test host needs a clean shutdown.
 */
export async function endNamespaces(namespaces: readonly string[], dir: string): Promise<void> {
  for (let round = 0; round < 5; round++) {
    const pids = namespaces.flatMap((ns) => fleetPidsIn(ns, dir));
    if (pids.length === 0) return;
    await terminate(pids, 1_000);
  }
  throw new Error(`fleet ${dir}: processes keep appearing in its namespaces`);
}

/** Tears down every recorded fleet whose owning test process is gone. Returns their dirs. */
export async function sweepStaleFleets(): Promise<string[]> {
  if (!existsSync(REGISTRY_DIR)) return [];
  const swept: string[] = [];
  for (const file of await readdir(REGISTRY_DIR)) {
    if (!file.endsWith('.json')) continue;
    const record = JSON.parse(await readFile(join(REGISTRY_DIR, file), 'utf8')) as FleetRecord;
    const ownerLives = isAlive(record.ownerPid) && startTimeOf(record.ownerPid) === record.ownerStartTime;
    if (ownerLives) continue;
    await endNamespaces(record.namespaces, record.dir);
    await removeThrowawayUser(record.user, record.dir);
    await rm(record.dir, { recursive: true, force: true });
    await rm(join(REGISTRY_DIR, file), { force: true });
    swept.push(record.dir);
  }
  return swept;
}
