import { CheckResult } from '../check';
import { failedWith } from '../util/failure';
import { nonEmptyLines } from '../util/text';

/** What the ELF dynamic section of a binary says it needs: the truth of what is linked. */
export interface ElfNeededFacts {
  /** DT_NEEDED sonames, in order. */
  needed: string[];
  soname: string | null;
  /** DT_RPATH / DT_RUNPATH entries (colon lists kept as written). */
  rpath: string | null;
  runpath: string | null;
}

const READELF = /\((NEEDED|SONAME|RPATH|RUNPATH)\)\s+[^[]*\[(.*)\]\s*$/;
const OBJDUMP = /^(NEEDED|SONAME|RPATH|RUNPATH)\s+(\S.*?)\s*$/;

function collect(text: string, pattern: RegExp, tool: string): CheckResult<ElfNeededFacts> {
  const facts: ElfNeededFacts = { needed: [], soname: null, rpath: null, runpath: null };
  let seen = false;
  for (const line of nonEmptyLines(text)) {
    const m = pattern.exec(line);
    if (!m) continue;
    seen = true;
    const [, tag, value] = m;
    if (tag === 'NEEDED') facts.needed.push(value);
    else if (tag === 'SONAME') facts.soname = value;
    else if (tag === 'RPATH') facts.rpath = value;
    else facts.runpath = value;
  }
  if (!seen) return failedWith(`no dynamic section entries in the ${tool} output`, { stdout: text, stderr: '' });
  return { status: 'ok', facts };
}

/** Parses `readelf -d FILE`: ` 0x…0001 (NEEDED)  Shared library: [libpython3.11.so.1.0]`. */
export function parseReadelf(text: string): CheckResult<ElfNeededFacts> {
  return collect(text, READELF, 'readelf -d');
}

/** Parses `objdump -p FILE`'s "Dynamic Section": `  NEEDED   libpython3.11.so.1.0`. */
export function parseObjdump(text: string): CheckResult<ElfNeededFacts> {
  return collect(text, OBJDUMP, 'objdump -p');
}
