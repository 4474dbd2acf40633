import { addLoadInclude, removeModuleIncludes, renameModuleIncludes, syncListedFiles } from './apache-includes';
import { buildVersion, setBuildMpm, setBuildVersion } from './build-info';
import { addModule, listedMpm, moduleId, removeModule, replaceMpmModule } from './module-list';
import { CommandCase, LabProfile } from './profile';

/**
 * Drift makers: each returns a new profile with the outputs a changed host would print,
 * leaving its input untouched. They edit every Apache control command's answers (apache2ctl,
 * apachectl, httpd, apache2), the DUMP_INCLUDES listing and its files, and package versions.
 */

const CTL_COMMANDS = new Set(['apache2ctl', 'apachectl', 'httpd', 'apache2']);
const PACKAGE_COMMANDS = new Set(['dpkg-query', 'rpm']);

const alternatives = (args: string) => args.split('|');
const isModules = (args: string) => alternatives(args).some((a) => a === '-M' || a.includes('DUMP_MODULES'));
const isBuild = (args: string) => alternatives(args).some((a) => a === '-V' || a === '-v');
const isIncludes = (args: string) => args.includes('DUMP_INCLUDES');

type Select = (command: string, args: string) => boolean;
const ctl = (argsTest: (args: string) => boolean): Select => (command, args) => CTL_COMMANDS.has(command) && argsTest(args);

function editStdout(profile: LabProfile, select: Select, edit: (stdout: string) => string): LabProfile {
  const commands: Record<string, CommandCase[]> = {};
  for (const [command, cases] of Object.entries(profile.commands)) {
    commands[command] = cases.map((c) => (select(command, c.args) && c.stdout ? { ...c, stdout: edit(c.stdout) } : { ...c }));
  }
  return { ...profile, files: { ...profile.files }, commands };
}

function stdoutOf(profile: LabProfile, select: Select): string | undefined {
  for (const [command, cases] of Object.entries(profile.commands)) {
    const found = cases.find((c) => select(command, c.args) && c.stdout);
    if (found) return found.stdout;
  }
  return undefined;
}

/** Edits the DUMP_INCLUDES listing and keeps the listed files in step with it. */
function editIncludes(profile: LabProfile, edit: (listing: string) => string): LabProfile {
  const before = stdoutOf(profile, ctl(isIncludes));
  if (before === undefined) return profile;
  const edited = editStdout(profile, ctl(isIncludes), edit);
  return { ...edited, files: syncListedFiles(edited.files, before, edit(before)) };
}

const renamed = (profile: LabProfile, change: string): LabProfile => ({ ...profile, name: `${profile.name}+${change}` });
const shortName = (id: string) => id.replace(/_module$/, '');

/** The host loads one more shared module (e.g. 'headers' or 'headers_module'). */
export function withModule(profile: LabProfile, name: string): LabProfile {
  const id = moduleId(name);
  const listed = editStdout(profile, ctl(isModules), (text) => addModule(text, id));
  return renamed(editIncludes(listed, (listing) => addLoadInclude(listing, shortName(id))), id);
}

/** The host no longer loads the module. */
export function withoutModule(profile: LabProfile, name: string): LabProfile {
  const id = moduleId(name);
  const listed = editStdout(profile, ctl(isModules), (text) => removeModule(text, id));
  return renamed(editIncludes(listed, (listing) => removeModuleIncludes(listing, shortName(id))), `-${id}`);
}

/** The host runs another MPM: -M's mpm_*_module, -V's MPM/threaded/forked, the mpm_* includes. */
export function withMpm(profile: LabProfile, mpm: string): LabProfile {
  const current = listedMpm(stdoutOf(profile, ctl(isModules)) ?? '');
  let next = editStdout(profile, ctl(isModules), (text) => replaceMpmModule(text, mpm));
  next = editStdout(next, ctl((args) => alternatives(args).includes('-V')), (text) => setBuildMpm(text, mpm));
  if (current) next = editIncludes(next, (listing) => renameModuleIncludes(listing, `mpm_${current}`, `mpm_${mpm}`));
  return renamed(next, `mpm=${mpm}`);
}

/** The host was upgraded (or downgraded) to another Apache version, binary and packages alike. */
export function withApacheVersion(profile: LabProfile, version: string): LabProfile {
  if (!/^\d+(\.\d+)+$/.test(version)) throw new Error(`invalid Apache version ${JSON.stringify(version)}`);
  const current = buildVersion(stdoutOf(profile, ctl(isBuild)) ?? '');
  let next = editStdout(profile, ctl(isBuild), (text) => setBuildVersion(text, version));
  if (current) {
    const pkg = new RegExp(`^((?:apache2|httpd)[\\w-]*[ \\t=-]+)${current.replace(/\./g, '\\.')}(?=[-~+\\s]|$)`, 'gm');
    next = editStdout(next, (command) => PACKAGE_COMMANDS.has(command), (text) => text.replace(pkg, `$1${version}`));
  }
  return renamed(next, `apache=${version}`);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * The host was rebuilt without changing anything that matters: the same Apache version with
 * a new "Server built:" date, and the same Python version whose sys.version carries a new
 * build date. What a distribution rebuild (or a reinstall) looks like between two scans.
 */
export function withRebuild(profile: LabProfile, built: Date): LabProfile {
  const iso = built.toISOString();
  const pythonDate = `${MONTHS[built.getUTCMonth()]} ${String(built.getUTCDate()).padStart(2, '0')} ${built.getUTCFullYear()}, ${iso.slice(11, 19)}`;
  let next = editStdout(profile, ctl(isBuild), (text) => text.replace(/^(\s*Server built:[ \t]*).*$/m, `$1${iso.slice(0, 19)}`));
  next = editStdout(next, (command) => command === 'curl', (text) => text.replace(/\(main, [A-Z][a-z]{2} +\d{1,2} \d{4}, \d\d:\d\d:\d\d\)/g, `(main, ${pythonDate})`));
  return renamed(next, `built=${iso.slice(0, 19)}`);
}

/** The host boots another kernel release (every `uname` answer that names it). */
export function withKernel(profile: LabProfile, release: string): LabProfile {
  const current = profile.commands.uname?.find((c) => c.args === '-r')?.stdout?.trim();
  if (!current) return profile;
  const next = editStdout(profile, (command) => command === 'uname', (text) => text.split(current).join(release));
  return renamed(next, `kernel=${release}`);
}
