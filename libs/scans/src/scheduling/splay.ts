import { createHash } from 'node:crypto';

/**
 * Where in the splay window a host's scheduled scan starts: a fixed offset per host name, so
 * hosts spread evenly over the window and each host keeps its place tick after tick.
 */
export function splayOffsetMs(hostName: string, splaySeconds: number): number {
  if (splaySeconds <= 0) return 0;
  const n = createHash('sha256').update(hostName).digest().readUInt32BE(0);
  return n % (splaySeconds * 1000);
}
