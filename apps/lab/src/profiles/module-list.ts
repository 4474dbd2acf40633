/**
 * Edits of `httpd -M` output ("Loaded Modules:" then one ` name_module (static|shared)` per
 * line). Pure text functions; they keep everything they do not touch byte for byte.
 */

const MODULE_LINE = /^(\s*)([A-Za-z0-9_]+_module) \((static|shared)\)\s*$/;

/** 'headers' or 'headers_module' → 'headers_module'. */
export function moduleId(name: string): string {
  const id = name.endsWith('_module') ? name : `${name}_module`;
  if (!/^[A-Za-z0-9_]+_module$/.test(id)) throw new Error(`invalid module name ${JSON.stringify(name)}`);
  return id;
}

/** Module ids in listed order, optionally only the static or only the shared ones. */
export function listedModules(text: string, origin?: 'static' | 'shared'): string[] {
  return text.split('\n').flatMap((line) => {
    const m = MODULE_LINE.exec(line);
    return m && (!origin || m[3] === origin) ? [m[2]] : [];
  });
}

/** Adds a shared module in alphabetical place among the shared ones (as Debian's mods-enabled loads them). */
export function addModule(text: string, name: string): string {
  const id = moduleId(name);
  const lines = text.split('\n');
  const parsed = lines.map((line) => MODULE_LINE.exec(line));
  if (parsed.some((m) => m?.[2] === id)) return text;
  const shared = parsed.flatMap((m, i) => (m?.[3] === 'shared' ? [i] : []));
  const anyModule = parsed.findIndex((m) => m !== null);
  const indent = parsed[shared[0] ?? anyModule]?.[1] ?? ' ';
  const after = shared.filter((i) => parsed[i]![2] < id).pop();
  const lastModule = parsed.reduce((last, m, i) => (m ? i : last), -1);
  const header = lines.findIndex((line) => /Loaded Modules:/.test(line));
  const at = after !== undefined ? after + 1 : shared.length ? shared[0] : lastModule >= 0 ? lastModule + 1 : header + 1;
  lines.splice(at, 0, `${indent}${id} (shared)`);
  return lines.join('\n');
}

export function removeModule(text: string, name: string): string {
  const id = moduleId(name);
  return text
    .split('\n')
    .filter((line) => MODULE_LINE.exec(line)?.[2] !== id)
    .join('\n');
}

/** The MPM the list loads ('event', 'prefork', 'worker'), if any. */
export function listedMpm(text: string): string | undefined {
  for (const id of listedModules(text)) {
    const m = /^mpm_([a-z0-9]+)_module$/.exec(id);
    if (m) return m[1];
  }
  return undefined;
}

export function replaceMpmModule(text: string, mpm: string): string {
  return text.replace(/\bmpm_[a-z0-9]+_module\b/g, `mpm_${mpm}_module`);
}

/** The source file httpd -l names for a built-in module (core.c, http_core.c, mod_so.c…). */
function sourceFile(id: string): string {
  const name = id.replace(/_module$/, '');
  return name === 'core' ? 'core.c' : name === 'http' ? 'http_core.c' : `mod_${name}.c`;
}

/** `httpd -l` as implied by `-M`: its static modules are the compiled-in ones. */
export function compiledInModules(modulesText: string): string {
  const files = listedModules(modulesText, 'static').map((id) => `  ${sourceFile(id)}\n`);
  return `Compiled in modules:\n${files.join('')}`;
}
