import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { lines, nonEmptyLines } from '../util/text';

export interface Dependency {
  /** As the binary names it: `libpython3.11.so.1.0`, `@rpath/Python3.framework/…`. */
  name: string;
  /** Where the loader found it; null when not found or not resolved by the tool (otool). */
  path: string | null;
  /** False for ldd's "not found"; null when the tool does not resolve (otool -L). */
  found: boolean | null;
}

export interface LibPython {
  name: string;
  /** Major.minor from the name: libpython3.11 → "3.11", libpython3.5m → "3.5", Python.framework/Versions/2.6 → "2.6". */
  version: string | null;
  resolvedPath: string | null;
  found: boolean | null;
}

export type Linkage = 'shared' | 'static' | 'missing' | 'unknown';

export interface LinkedLibrariesFacts {
  dependencies: Dependency[];
  libpython: LibPython | null;
  /**
   * shared: links a libpython that resolves; static: links none; missing: links one the loader
   * cannot find; unknown: the binary needs one (NEEDED) but the loader's answer did not say where.
   */
  linkage: Linkage;
}

/** `name => path (0x…)`, `name => not found`, FreeBSD's `name => not found (0)`. */
const LDD_ARROW = /^(\S+)\s+=>\s*(not found|[^\s(]\S*|)\s*(?:\((?:0x[0-9a-fA-F]+|0)\))?$/;
/** musl's ldd stops at the first library it cannot load and says so on stderr. */
const MUSL_MISSING = /^Error loading shared library (\S+?): .*\(needed by (\S+)\)$/;
const LDD_PLAIN = /^(\S+)\s+\(0x[0-9a-fA-F]+\)$/;
const OTOOL = /^(\S.*?)\s+\(compatibility version [^)]*\)$/;

export function pythonVersion(name: string): string | null {
  const lib = /libpython(\d+(?:\.\d+)?)/.exec(name);
  if (lib) return lib[1];
  return /Python3?\.framework\/Versions\/(\d+(?:\.\d+)?)\//.exec(name)?.[1] ?? null;
}

export function isPython(name: string): boolean {
  return /libpython\d/.test(name) || /Python3?\.framework\//.test(name);
}

/** `stoppedEarly`: the loader gave up at a library it could not load (musl), so the list may be incomplete. */
function summarize(dependencies: Dependency[], stoppedEarly = false): LinkedLibrariesFacts {
  const dep = dependencies.find((d) => isPython(d.name));
  const libpython = dep ? { name: dep.name, version: pythonVersion(dep.name), resolvedPath: dep.path, found: dep.found } : null;
  const linkage: Linkage = !libpython ? (stoppedEarly ? 'unknown' : 'static') : libpython.found === false ? 'missing' : 'shared';
  return { dependencies, libpython, linkage };
}

function lddDependency(line: string): Dependency | null {
  const arrow = LDD_ARROW.exec(line);
  if (arrow) {
    const missing = arrow[2] === 'not found';
    return { name: arrow[1], path: missing || arrow[2] === '' ? null : arrow[2], found: !missing };
  }
  const musl = MUSL_MISSING.exec(line);
  if (musl) return { name: musl[1], path: null, found: false };
  const plain = LDD_PLAIN.exec(line);
  return plain ? { name: plain[1], path: plain[1].startsWith('/') ? plain[1] : null, found: true } : null;
}

/**
 * Lines as ldd printed them, with pastes a terminal wrapped mid-path joined again: ldd indents
 * every dependency, so a line at the margin right after an indented one is its continuation
 * when together they read as a dependency (a FreeBSD header or a musl error at the margin does not).
 */
function lddLines(text: string): string[] {
  const raw = lines(text).filter((l) => l.trim() !== '');
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const next = raw[i + 1];
    if (/^\s/.test(raw[i]) && next !== undefined && !/^\s/.test(next)) {
      const joined = `${raw[i]}${next}`.trim();
      if (lddDependency(joined)) {
        out.push(joined);
        i++;
        continue;
      }
    }
    out.push(raw[i].trim());
  }
  return out;
}

/** Parses `ldd FILE` (glibc, old glibc `=>  (0x…)`, FreeBSD with its `FILE:` header, musl's errors). */
export function parseLdd(text: string): CheckResult<LinkedLibrariesFacts> {
  const dependencies: Dependency[] = [];
  let statically = false;
  for (const line of lddLines(text)) {
    if (/statically linked/.test(line)) statically = true;
    const dependency = lddDependency(line);
    if (dependency && !dependencies.some((d) => d.name === dependency.name && d.found === dependency.found)) dependencies.push(dependency);
  }
  if (dependencies.length === 0 && !statically) {
    return failedWith('no shared library dependencies in the ldd output', { stdout: text, stderr: '' });
  }
  return { status: 'ok', facts: summarize(dependencies, lddLines(text).some((l) => MUSL_MISSING.test(l))) };
}

/** Parses `otool -L FILE` (macOS): install names, which otool does not resolve. */
export function parseOtool(text: string): CheckResult<LinkedLibrariesFacts> {
  const dependencies: Dependency[] = [];
  for (const line of nonEmptyLines(text)) {
    const m = OTOOL.exec(line);
    if (m) dependencies.push({ name: m[1], path: m[1].startsWith('/') ? m[1] : null, found: null });
  }
  if (dependencies.length === 0) return failedWith('no libraries in the otool -L output', { stdout: text, stderr: '' });
  return { status: 'ok', facts: summarize(dependencies) };
}
