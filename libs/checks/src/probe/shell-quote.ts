/**
 * Quotes a value for POSIX sh as a single-quoted word. Any byte but NUL survives as data;
 * nothing inside is expanded or executed.
 */
export function shellQuote(value: string): string {
  if (value.includes('\0')) throw new Error('value contains a NUL byte and cannot be passed to sh');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
