import { AppLogger } from './app-logger';
import { maskSecrets } from './mask-secrets';
import { withScanContext } from './scan-context';

describe(AppLogger.name, () => {
  let written: string[];
  let spy: jest.SpyInstance;

  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (written.push(chunk.toString()), true));
  });
  afterEach(() => spy.mockRestore());

  it('writes JSON lines that carry the scan being worked on', async () => {
    const sut = new AppLogger({ format: 'json', level: 'log' });
    sut.log('before', 'Test');
    await withScanContext({ runId: 7, host: 'web-1' }, async () => {
      await Promise.resolve();
      sut.warn('probe partial', 'ScanService');
    });
    const lines = written.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ level: 'log', message: 'before', context: 'Test' });
    expect(lines[0]).not.toHaveProperty('host');
    expect(lines[1]).toMatchObject({ level: 'warn', message: 'probe partial', context: 'ScanService', runId: 7, host: 'web-1' });
  });

  it('writes text on a terminal under auto, with the scan too', () => {
    const sut = new AppLogger({ format: 'auto', level: 'log', isTTY: false });
    sut.log('json when piped');
    expect(() => JSON.parse(written.join(''))).not.toThrow();
    written.length = 0;
    const text = new AppLogger({ format: 'text', level: 'log' });
    withScanContext({ runId: null, host: 'web-2' }, () => text.log('scanning', 'ScanService'));
    expect(written.join('')).toMatch(/LOG.*\[ScanService\].*scanning/);
    expect(written.join('')).toContain('web-2');
  });

  it('honours the level and masks secrets', () => {
    const sut = new AppLogger({ format: 'json', level: 'warn' });
    sut.log('not shown');
    sut.warn('connecting to postgres://app:s3cret@db:5432/x', { privateKey: 'KEYDATA' });
    const out = written.join('');
    expect(out).not.toContain('not shown');
    expect(out).not.toContain('s3cret');
    expect(out).not.toContain('KEYDATA');
    expect(out).toContain('postgres://***@db:5432/x');
  });
});

describe(maskSecrets.name, () => {
  it('hides URL credentials and private key blocks', () => {
    expect(maskSecrets('redis://:pw@127.0.0.1:6379')).toBe('redis://***@127.0.0.1:6379');
    expect(maskSecrets('key -----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY----- end')).toBe('key [private key] end');
    expect(maskSecrets('http://example.com/path')).toBe('http://example.com/path');
  });
});
