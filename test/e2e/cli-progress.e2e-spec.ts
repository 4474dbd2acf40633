import { ClientKey, LabFleet, closedPort, debian12EventProfile, generateClientKey } from '@driftwatch/lab';
import { cli, useCliDatabase } from '../support/run-cli';

describe('driftwatch scan: progress and summary', () => {
  // Scans of lab hosts are quick, but the machine running the suite may be busy.
  jest.setTimeout(30_000);

  useCliDatabase();
  let key: ClientKey;
  let fleet: LabFleet;
  const savedIsTTY = process.stderr.isTTY;

  beforeAll(async () => {
    // Whatever runs the tests, the CLI must see a pipe, not a terminal.
    Object.defineProperty(process.stderr, 'isTTY', { value: false, configurable: true, writable: true });
    key = generateClientKey();
    fleet = await LabFleet.start({ count: 2, authorizedKey: key.publicKey, profile: () => debian12EventProfile() });
    for (const [i, host] of fleet.hosts.entries()) {
      expect((await cli('hosts', 'add', `web-${i + 1}`, '--address', '127.0.0.1', '--port', String(host.port), '--user', 'ops', '--key', key.path)).code).toBe(0);
    }
    expect((await cli('hosts', 'add', 'gone-1', '--address', '127.0.0.1', '--port', String(await closedPort()), '--user', 'ops', '--key', key.path)).code).toBe(0);
  }, 60_000);

  afterAll(async () => {
    Object.defineProperty(process.stderr, 'isTTY', { value: savedIsTTY, configurable: true, writable: true });
    await fleet?.stop();
    key?.dispose();
  });

  it('prints one plain line per host finished, then the per-host table and a summary', async () => {
    const result = await cli('scan');
    expect(result.code).toBe(3);

    // stderr also carries the log line about the unreachable host.
    const lines = result.err.split('\n').filter((l) => /^\[\d\/3\] /.test(l));
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.replace(/^\[\d\/3\] /, '')).sort()).toEqual(['gone-1: unreachable', 'web-1: ok (changed)', 'web-2: ok (changed)']);
    expect(lines.map((l) => /^\[(\d)\/3\]/.exec(l)?.[1])).toEqual(['1', '2', '3']);

    const out = result.out.split('\n');
    const header = out.indexOf('OK  PARTIAL  CHANGED  UNREACHABLE  FAILED  TOTAL');
    expect(header).toBeGreaterThan(0);
    expect(out[header + 1].split(/\s+/)).toEqual(['2', '0', '2', '1', '0', '3']);
    const slowest = out.findIndex((l) => /^SLOWEST\s+MS\s+STATUS$/.test(l));
    expect(slowest).toBeGreaterThan(header);
    expect(out.slice(slowest + 1, slowest + 4).map((l) => l.split(/\s+/)[0]).sort()).toEqual(['gone-1', 'web-1', 'web-2']);
    const ms = out.slice(slowest + 1, slowest + 4).map((l) => Number(l.split(/\s+/)[1]));
    expect([...ms].sort((a, b) => b - a)).toEqual(ms);
  });

  it('keeps --json free of progress lines', async () => {
    const result = await cli('scan', 'web-1', '--json');
    expect(result.code).toBe(0);
    expect(result.err).toBe('');
    expect(JSON.parse(result.out).scans).toEqual([expect.objectContaining({ host: 'web-1', status: 'ok' })]);
  });
});
