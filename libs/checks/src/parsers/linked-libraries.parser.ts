import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { nonEmptyLines } from '../util/text';

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

export type Linkage = 'shared' | 'static' | 'missing';

export interface LinkedLibrariesFacts {
  dependencies: Dependency[];
  libpython: LibPython | null;
  /** shared: links a libpython that resolves; static: links none; missing: links one the loader cannot find. */
  linkage: Linkage;
}

const LDD_ARROW = /^(\S+)\s+=>\s*(not found|[^\s(]\S*|)\s*(?:\(0x[0-9a-fA-F]+\))?$/;
const LDD_PLAIN = /^(\S+)\s+\(0x[0-9a-fA-F]+\)$/;
const OTOOL = /^(\S.*?)\s+\(compatibility version [^)]*\)$/;

function pythonVersion(name: string): string | null {
  const lib = /libpython(\d+(?:\.\d+)?)/.exec(name);
  if (lib) return lib[1];
  return /Python3?\.framework\/Versions\/(\d+(?:\.\d+)?)\//.exec(name)?.[1] ?? null;
}

function isPython(name: string): boolean {
  return /libpython\d/.test(name) || /Python3?\.framework\//.test(name);
}

function summarize(dependencies: Dependency[]): LinkedLibrariesFacts {
  const dep = dependencies.find((d) => isPython(d.name));
  const libpython = dep ? { name: dep.name, version: pythonVersion(dep.name), resolvedPath: dep.path, found: dep.found } : null;
  const linkage: Linkage = !libpython ? 'static' : libpython.found === false ? 'missing' : 'shared';
  return { dependencies, libpython, linkage };
}

/** Parses `ldd FILE` (glibc, old glibc `=>  (0x…)`, FreeBSD with its `FILE:` header). */
export function parseLdd(text: string): CheckResult<LinkedLibrariesFacts> {
  const dependencies: Dependency[] = [];
  let statically = false;
  for (const line of nonEmptyLines(text)) {
    if (/statically linked/.test(line)) statically = true;
    const arrow = LDD_ARROW.exec(line);
    if (arrow) {
      const missing = arrow[2] === 'not found';
      dependencies.push({ name: arrow[1], path: missing || arrow[2] === '' ? null : arrow[2], found: !missing });
      continue;
    }
    const plain = LDD_PLAIN.exec(line);
    if (plain) dependencies.push({ name: plain[1], path: plain[1].startsWith('/') ? plain[1] : null, found: true });
  }
  if (dependencies.length === 0 && !statically) {
    return failedWith('no shared library dependencies in the ldd output', { stdout: text, stderr: '' });
  }
  return { status: 'ok', facts: summarize(dependencies) };
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
