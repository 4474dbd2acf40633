const LOOPBACK = '127.0.0.1';

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export interface ListenAddress {
  host: string;
  /** Why the configured address was not used, for the start-up log. */
  warning?: string;
}

/** An open API (no token yet) is never exposed beyond this machine. */
export function listenAddressFor(configuredHost: string, tokensExist: boolean): ListenAddress {
  if (tokensExist) return { host: configuredHost };
  if (isLoopback(configuredHost)) {
    return { host: configuredHost, warning: 'no API token exists: the API is open to local clients only (create one with `driftwatch tokens create --scope admin`)' };
  }
  return {
    host: LOOPBACK,
    warning: `no API token exists: listening on ${LOOPBACK} instead of ${configuredHost} until one is created (\`driftwatch tokens create --scope admin\`)`,
  };
}
