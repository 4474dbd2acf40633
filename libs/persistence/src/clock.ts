/** Timestamps are stored as ISO-8601 UTC text (fixed width, so they sort as strings). */
export function isoNow(now: Date = new Date()): string {
  return now.toISOString();
}
