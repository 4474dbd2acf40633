/** Every failure the domain reports on purpose; the API maps each code to one HTTP status. */
export enum DomainErrorCode {
  HostNotFound = 'HOST_NOT_FOUND',
  HostExists = 'HOST_EXISTS',
  SnapshotNotFound = 'SNAPSHOT_NOT_FOUND',
  ScanRunNotFound = 'SCAN_RUN_NOT_FOUND',
  WebhookNotFound = 'WEBHOOK_NOT_FOUND',
  NoHostsSelected = 'NO_HOSTS_SELECTED',
  InvalidInput = 'INVALID_INPUT',
  /** The host could not be reached, refused us, or failed the operation. */
  HostUnavailable = 'HOST_UNAVAILABLE',
  /** With a shared queue: no worker finished the job in time (none running, or all busy). */
  NoWorker = 'NO_WORKER',
}

export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
