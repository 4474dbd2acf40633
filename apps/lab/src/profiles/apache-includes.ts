import { LAB_ROOT, placeholder } from './profile';

/**
 * The `-t -D DUMP_INCLUDES` listing ("  (*) /etc/apache2/apache2.conf", "    (146) …/x.load")
 * and the configuration files it names. Lab profiles move every path the probe opens (the
 * listed files, ServerRoot, mod_wsgi.so, apr.h) into the host directory (`${LAB_ROOT}/...`),
 * so what a check reads is the profile's, never the machine's.
 */

const LISTED_PATH = /^(\s*\((?:\*|\d+)\) )(\S.*?)\s*$/;
const MODS_ENABLED = /^(\s*\(\d+\) )(.*\/mods-enabled\/)([A-Za-z0-9_]+)\.(load|conf)\s*$/;

/** Moves every listed path under `root` into the host directory. */
export function rootListing(listing: string, root: string): string {
  return listing
    .split('\n')
    .map((line) => {
      const m = LISTED_PATH.exec(line);
      return m && m[2].startsWith(root) ? `${m[1]}${LAB_ROOT}${m[2]}` : line;
    })
    .join('\n');
}

/** Paths (relative to the host directory) of the listed files that live in the host directory. */
export function listedHostFiles(listing: string): string[] {
  return listing.split('\n').flatMap((line) => {
    const path = LISTED_PATH.exec(line)?.[2];
    return path?.startsWith(`${LAB_ROOT}/`) ? [path.slice(LAB_ROOT.length + 1)] : [];
  });
}

/** Where Debian's LoadModule lines point (below the host directory, so mod_wsgi.so is the host's). */
export const DEBIAN_MODULES_DIR = 'usr/lib/apache2/modules';

/** Debian's mods-enabled/<name>.load: one LoadModule line. */
export function loadFileContent(shortName: string): string {
  return `LoadModule ${shortName}_module ${LAB_ROOT}/${DEBIAN_MODULES_DIR}/mod_${shortName}.so\n`;
}

/** `ServerRoot: "/etc/apache2"` of a DUMP_RUN_CFG, moved into the host directory. */
export function rootServerRoot(runConfig: string): string {
  return runConfig.replace(/^ServerRoot: "(\/[^"]*)"/m, `ServerRoot: "${LAB_ROOT}$1"`);
}

function defaultContent(path: string): string {
  const load = /\/mods-enabled\/([A-Za-z0-9_]+)\.load$/.exec(path);
  return load ? loadFileContent(load[1]) : placeholder(path);
}

/**
 * The profile files after the listing changed from `before` to `after`: files no longer listed
 * are dropped, newly listed ones are created (`contents` first, else a LoadModule line for a
 * .load file, else a placeholder), and the rest are kept as they are.
 */
export function syncListedFiles(files: Record<string, string>, before: string, after: string, contents: Record<string, string> = {}): Record<string, string> {
  const old = new Set(listedHostFiles(before));
  const now = listedHostFiles(after);
  const next = Object.fromEntries(Object.entries(files).filter(([path]) => !old.has(path) || now.includes(path)));
  for (const path of now) next[path] ??= contents[path] ?? defaultContent(path);
  return next;
}

interface ModsEnabledLine {
  index: number;
  prefix: string;
  dir: string;
  name: string;
  ext: string;
}

function modsEnabled(lines: string[]): ModsEnabledLine[] {
  return lines.flatMap((line, index) => {
    const m = MODS_ENABLED.exec(line);
    return m ? [{ index, prefix: m[1], dir: m[2], name: m[3], ext: m[4] }] : [];
  });
}

/** Lists mods-enabled/<name>.load in alphabetical place, as apache2.conf's wildcard Include loads it. */
export function addLoadInclude(listing: string, name: string): string {
  const lines = listing.split('\n');
  const loads = modsEnabled(lines).filter((l) => l.ext === 'load');
  if (loads.length === 0 || loads.some((l) => l.name === name)) return listing;
  const before = loads.find((l) => l.name > name);
  const at = before ? before.index : loads[loads.length - 1].index + 1;
  lines.splice(at, 0, `${loads[0].prefix}${loads[0].dir}${name}.load`);
  return lines.join('\n');
}

export function removeModuleIncludes(listing: string, name: string): string {
  const lines = listing.split('\n');
  const drop = new Set(modsEnabled(lines).filter((l) => l.name === name).map((l) => l.index));
  return lines.filter((_, i) => !drop.has(i)).join('\n');
}

export function renameModuleIncludes(listing: string, from: string, to: string): string {
  const lines = listing.split('\n');
  for (const l of modsEnabled(lines)) if (l.name === from) lines[l.index] = `${l.prefix}${l.dir}${to}.${l.ext}`;
  return lines.join('\n');
}

/**
 * What `-D DUMP_RUN_CFG -D DUMP_INCLUDES -t` prints: the listing, then the run-time
 * configuration with both defines (the layout of raw/run-cfg/*-DUMP_RUN_CFG-DUMP_INCLUDES-t.txt).
 */
export function bothDumps(listing: string, runConfig: string): string {
  return listing + runConfig.replace(/^Define: DUMP_RUN_CFG$/m, 'Define: DUMP_RUN_CFG\nDefine: DUMP_INCLUDES');
}
