import type { HostEntity } from '@driftwatch/persistence';

/**
 * The address of a host recorded by `driftwatch scan --local --save`. A `.invalid` name never
 * resolves (RFC 6761), and scans refuse such a host before any connection, so the machine is
 * never scanned over SSH by mistake (a collector elsewhere would reach some other machine).
 * Giving the host a real address later (PATCH address) makes it an SSH host like any other;
 * both kinds of scan produce the same facts, so its history stays comparable.
 */
export const LOCAL_HOST_ADDRESS = 'local.invalid';

/** The label every host recorded by local scans carries, so they are easy to list. */
export const LOCAL_HOST_LABEL = 'local';

export const LOCAL_SCAN_ONLY =
  'this host is recorded by local scans: run `driftwatch scan --local --save` on the machine itself, or give it an SSH address';

export function isLocalHost(host: Pick<HostEntity, 'address'>): boolean {
  return host.address === LOCAL_HOST_ADDRESS;
}
