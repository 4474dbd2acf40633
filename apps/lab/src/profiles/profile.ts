/**
 * What a lab host looks like from inside: files at paths below the host directory, and
 * commands (stubs first in PATH) that print stored outputs. Plain data, so a profile can be
 * copied, compared and rewritten by the mutators to make drift.
 *
 * `${LAB_ROOT}` anywhere in an output or a file stands for the host directory (the one the
 * host's commands run in; hosts with equal profiles share it, see LabWorkspace).
 */
export interface CommandOutput {
  stdout?: string;
  stderr?: string;
  exitCode?: number;
}

export interface CommandCase extends CommandOutput {
  /**
   * sh `case` pattern matched against "$*" (the arguments joined by spaces). `|` separates
   * alternatives, `*`, `?` and `[...]` are wildcards, everything else is literal. The first
   * matching case wins; arguments no case matches get a complaint on stderr and exit 1.
   */
  args: string;
  /**
   * sh run instead of printing the outputs (its exit status is the stub's). For hosts that must
   * misbehave in tests: endless or enormous output, commands that hang or kill their shell.
   */
  script?: string;
}

export interface LabProfile {
  name: string;
  files: Record<string, string>;
  commands: Record<string, CommandCase[]>;
}

export const LAB_ROOT = '${LAB_ROOT}';

/** Content for a file the probe needs to find but whose content was not captured. */
export function placeholder(what: string): string {
  return `# ${what}: placeholder written by the driftwatch lab (not captured)\n`;
}

/**
 * Assembles a profile one line per command case:
 * `.command('apache2ctl', '-V', fixture.captured('apachectl-V'))`.
 */
export class ProfileBuilder {
  private readonly files: Record<string, string> = {};
  private readonly commands: Record<string, CommandCase[]> = {};

  constructor(private readonly name: string) {}

  file(path: string, content: string): this {
    this.files[path] = content;
    return this;
  }

  fileSet(files: Record<string, string>): this {
    Object.assign(this.files, files);
    return this;
  }

  /** Adds a case to one command, or to several that behave alike (e.g. httpd and apachectl). */
  command(names: string | readonly string[], args: string, output: CommandOutput): this {
    for (const name of typeof names === 'string' ? [names] : names) {
      (this.commands[name] ??= []).push({ ...output, args });
    }
    return this;
  }

  /** Adds ready-made cases (e.g. `unameCases(...)`) to a command. */
  cases(name: string, cases: readonly CommandCase[]): this {
    for (const c of cases) this.command(name, c.args, c);
    return this;
  }

  build(): LabProfile {
    return { name: this.name, files: { ...this.files }, commands: structuredClone(this.commands) };
  }
}

const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const RESERVED_TOP_LEVEL = new Set(['bin', '.lab']);

/** Throws on anything that could escape the host directory or break the stubs. */
export function assertValidProfile(profile: LabProfile): void {
  for (const [name, cases] of Object.entries(profile.commands)) {
    if (!COMMAND_NAME.test(name)) throw new Error(`profile ${profile.name}: invalid command name ${JSON.stringify(name)}`);
    for (const c of cases) {
      const code = c.exitCode ?? 0;
      if (!Number.isInteger(code) || code < 0 || code > 255) throw new Error(`profile ${profile.name}: ${name} ${c.args}: exit code ${code} is not 0-255`);
    }
  }
  for (const path of Object.keys(profile.files)) {
    const parts = path.split('/');
    if (path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..') || RESERVED_TOP_LEVEL.has(parts[0])) {
      throw new Error(`profile ${profile.name}: invalid file path ${JSON.stringify(path)} (relative, no '..', not under bin/ or .lab/)`);
    }
  }
}
