import { LookupAddress } from 'node:dns';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { PrivateAddressError, Resolve, WebhookAddressPolicy, isPrivateAddress } from './webhook-address-policy';
import { postOnce } from './webhook-request';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** A resolver answering from a table, counting its calls; no DNS traffic. */
function fakeDns(table: Record<string, LookupAddress[] | (() => LookupAddress[])>): Resolve & { calls: string[] } {
  const calls: string[] = [];
  return Object.assign(
    async (hostname: string) => {
      calls.push(hostname);
      const entry = table[hostname];
      if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return typeof entry === 'function' ? entry() : entry;
    },
    { calls },
  );
}

describe(isPrivateAddress.name, () => {
  it.each([
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254', '0.0.0.0', '0.1.2.3',
    '::1', '::', 'fe80::1', 'febf::1', 'fe80::1%eth0', 'fc00::1', 'fd12:3456::1', '[::1]',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:a9fe:a9fe', '::ffff:192.168.0.1', '::ffff:0.0.0.0', '::127.0.0.1',
  ])('refuses %s', (address) => expect(isPrivateAddress(address)).toBe(true));

  it.each(['8.8.8.8', '203.0.113.7', '172.15.255.255', '172.32.0.1', '192.169.0.1', '11.0.0.1', '169.255.0.1', '2001:db8::1', 'fec0::1', '::ffff:8.8.8.8', 'example.org'])(
    'allows %s',
    (address) => expect(isPrivateAddress(address)).toBe(false),
  );
});

describe(WebhookAddressPolicy.name, () => {
  const dns = () =>
    fakeDns({
      localhost: [v4('127.0.0.1'), v6('::1')],
      'intranet.example.test': [v4('10.1.2.3')],
      'mixed.example.test': [v4('10.1.2.3'), v4('203.0.113.7')],
      'hooks.example.test': [v6('2001:db8::7')],
    });

  describe('at registration', () => {
    it('refuses a literal private address in any notation, naming the field', async () => {
      const resolve = dns();
      const sut = new WebhookAddressPolicy(false, resolve);
      for (const [url, shown] of [
        ['http://127.0.0.1:9/x', '127.0.0.1'],
        ['http://0x7f.1/x', '127.0.0.1'],
        ['http://2130706433/x', '127.0.0.1'],
        ['http://[::1]:8080/x', '::1'],
        ['http://[::ffff:127.0.0.1]/x', '::ffff:7f00:1'],
        ['https://169.254.169.254/latest/meta-data', '169.254.169.254'],
        ['http://0/x', '0.0.0.0'],
        ['http://[fd00::1]/x', 'fd00::1'],
      ]) {
        expect(await sut.registrationRefusal(url)).toBe(`url names the private address ${shown}: webhooks may not reach loopback, link-local or private addresses unless WEBHOOK_ALLOW_PRIVATE=true`);
      }
      expect(await sut.registrationRefusal('https://203.0.113.7/x')).toBeNull();
      expect(resolve.calls).toEqual([]); // a literal is never looked up
    });

    it('refuses a name that resolves only to private addresses, and accepts one with a public address or none yet', async () => {
      const sut = new WebhookAddressPolicy(false, dns());
      expect(await sut.registrationRefusal('http://localhost:3000/x')).toMatch(/^url host "localhost" resolves only to private addresses \(127\.0\.0\.1, ::1\): /);
      expect(await sut.registrationRefusal('https://intranet.example.test/x')).toMatch(/^url host "intranet.example.test" resolves only to private/);
      expect(await sut.registrationRefusal('https://mixed.example.test/x')).toBeNull();
      expect(await sut.registrationRefusal('https://hooks.example.test/x')).toBeNull();
      expect(await sut.registrationRefusal('https://not-yet.example.test/x')).toBeNull();
    });

    it('accepts anything with WEBHOOK_ALLOW_PRIVATE, without looking it up', async () => {
      const resolve = dns();
      const sut = new WebhookAddressPolicy(true, resolve);
      expect(await sut.registrationRefusal('http://127.0.0.1:9/x')).toBeNull();
      expect(await sut.registrationRefusal('http://localhost:9/x')).toBeNull();
      expect(resolve.calls).toEqual([]);
    });
  });

  describe('at delivery', () => {
    const lookup = (sut: WebhookAddressPolicy, hostname: string, all: boolean) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: string | LookupAddress[] }>((resolve) => sut.lookup(hostname, { all }, (error, address) => resolve({ error, address })));

    it('hands the connection only the public addresses of a name', async () => {
      const sut = new WebhookAddressPolicy(false, dns());
      expect(await lookup(sut, 'mixed.example.test', true)).toEqual({ error: null, address: [v4('203.0.113.7')] });
      expect(await lookup(sut, 'mixed.example.test', false)).toEqual({ error: null, address: '203.0.113.7' });
      const refused = await lookup(sut, 'localhost', true);
      expect(refused.error).toBeInstanceOf(PrivateAddressError);
      expect(refused.error?.message).toMatch(/^"localhost" resolves only to private addresses \(127\.0\.0\.1, ::1\)/);
      expect((await lookup(sut, 'nowhere.example.test', false)).error?.code).toBe('ENOTFOUND');
    });

    it('refuses a literal private address, which no lookup sees', () => {
      expect(new WebhookAddressPolicy(false).literalRefusal('10.0.0.8')).toMatch(/^names the private address 10\.0\.0\.8/);
      expect(new WebhookAddressPolicy(false).literalRefusal('203.0.113.7')).toBeNull();
      expect(new WebhookAddressPolicy(true).literalRefusal('10.0.0.8')).toBeNull();
    });
  });

  describe('with a real connection', () => {
    let server: Server;
    let port: number;
    let seen: IncomingHttpHeaders[];
    const signal = () => AbortSignal.timeout(5000);

    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req.headers);
        req.resume();
        req.on('end', () => res.writeHead(204).end());
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });
    beforeEach(() => (seen = []));
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('connects to the address its lookup checked, not one DNS gives the request later', async () => {
      // Only the fake resolver knows rebind.test: the request reaching the server went where the lookup said.
      const allowed = new WebhookAddressPolicy(true, fakeDns({ 'rebind.test': [v4('127.0.0.1')] }));
      expect(await postOnce(`http://rebind.test:${port}/hook`, {}, '{}', allowed.lookup, signal())).toBe(204);
      expect(seen.map((h) => h.host)).toEqual([`rebind.test:${port}`]);

      // Public when registered, loopback when delivered: refused, nothing sent.
      let answers = [[v4('203.0.113.7')], [v4('127.0.0.1')]];
      const resolve = fakeDns({ 'rebind.test': () => answers.shift() ?? [] });
      const sut = new WebhookAddressPolicy(false, resolve);
      expect(await sut.registrationRefusal(`http://rebind.test:${port}/hook`)).toBeNull();
      await expect(postOnce(`http://rebind.test:${port}/hook`, {}, '{}', sut.lookup, signal())).rejects.toBeInstanceOf(PrivateAddressError);
      expect(resolve.calls).toEqual(['rebind.test', 'rebind.test']);
      expect(seen).toHaveLength(1);
      answers = [];
    });
  });
});
