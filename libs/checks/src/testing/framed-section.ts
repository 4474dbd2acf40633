import { RawSection } from '../check';

/** A check's raw section whose stdout frames each named part as the probe does (for parser specs). */
export function framedSection(id: string, parts: Record<string, string>, meta: Record<string, string> = {}): RawSection {
  const stdout = Object.entries(parts)
    .map(([name, text]) => `--- dw:N0NCE:begin ${name}\n${text}\n--- dw:N0NCE:end ${name} rc=0`)
    .join('\n');
  return { id, exitCode: 0, stdout, stderr: '', durationMs: null, truncated: false, meta };
}
