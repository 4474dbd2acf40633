import { LookupAddress, promises as dns } from 'node:dns';
import { BlockList, LookupFunction, isIP } from 'node:net';

/**
 * What a webhook may not reach unless WEBHOOK_ALLOW_PRIVATE=true: this host, link-local and
 * private networks. BlockList matches the IPv4-mapped IPv6 forms (`::ffff:10.0.0.1`,
 * `::ffff:a00:1`) against the IPv4 ranges.
 */
const PRIVATE_RANGES = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network": 0.0.0.0 connects to the local host
  ['10.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services among them
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 96], // unspecified (::), loopback (::1) and the deprecated IPv4-compatible ::a.b.c.d
  ['fe80::', 10],
  ['fc00::', 7],
] as const) {
  PRIVATE_RANGES.addSubnet(network, prefix, 'ipv6');
}

/** True for an IP address (v4, or v6 with or without a zone) a webhook may not reach by default. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const family = isIP(bare);
  if (family === 0) return false;
  return PRIVATE_RANGES.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}

/** Resolves a host name to every address it has, as `dns.lookup` does. */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

const systemResolve: Resolve = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** Raised through the `lookup` of a delivery when only refused addresses are left. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
}

const ALLOW_HINT = 'webhooks may not reach loopback, link-local or private addresses unless WEBHOOK_ALLOW_PRIVATE=true';

/**
 * Where webhooks may be sent. Registration refuses a URL whose host is, or resolves only to,
 * a private address; a name that does not resolve yet is accepted. Delivery checks again,
 * because DNS can change: `lookup` resolves, drops refused addresses and hands the connection
 * only what is left, so the address checked is the address connected to (no rebinding between
 * check and connect). A literal address never goes through a lookup: `literalRefusal` is
 * asked before connecting.
 */
export class WebhookAddressPolicy {
  constructor(
    private readonly allowPrivate: boolean,
    private readonly resolve: Resolve = systemResolve,
  ) {}

  /** Why `url` may not be registered (a message naming the field), or null. */
  async registrationRefusal(url: string): Promise<string | null> {
    if (this.allowPrivate) return null;
    const hostname = hostnameOf(url);
    if (isIP(hostname)) {
      const literal = this.literalRefusal(hostname);
      return literal ? `url ${literal}` : null;
    }
    let addresses: LookupAddress[];
    try {
      addresses = await this.resolve(hostname);
    } catch {
      return null; // not resolvable now: each delivery resolves (and checks) again
    }
    if (addresses.length === 0 || !addresses.every((a) => isPrivateAddress(a.address))) return null;
    return `url host "${hostname}" resolves only to private addresses (${addresses.map((a) => a.address).join(', ')}): ${ALLOW_HINT}`;
  }

  /** Why a literal IP host may not be sent to, or null (also for names: `lookup` checks those). */
  literalRefusal(hostname: string): string | null {
    if (this.allowPrivate || !isPrivateAddress(hostname)) return null;
    return `names the private address ${hostname.replace(/^\[|\]$/g, '')}: ${ALLOW_HINT}`;
  }

  /** `lookup` for http(s).request: the resolved addresses, less the refused ones. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (resolved) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const addresses = resolved.filter((a) => (family === 0 || a.family === family) && (this.allowPrivate || !isPrivateAddress(a.address)));
        if (resolved.length === 0) return callback(Object.assign(new Error(`"${hostname}" has no address`), { code: 'ENOTFOUND' }), '');
        if (addresses.length === 0) {
          return callback(new PrivateAddressError(`"${hostname}" resolves only to private addresses (${resolved.map((a) => a.address).join(', ')}): ${ALLOW_HINT}`), '');
        }
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0].address, addresses[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
}

/** The URL's host as a connection names it: IPv6 without brackets, IPv4 normalized (`0x7f.1` → 127.0.0.1). */
export function hostnameOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}
