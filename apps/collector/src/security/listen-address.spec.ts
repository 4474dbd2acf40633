import { listenAddressFor } from './listen-address';

describe('listenAddressFor', () => {
  it('keeps the configured address once tokens exist', () => {
    expect(listenAddressFor('0.0.0.0', true)).toEqual({ host: '0.0.0.0' });
  });

  it('falls back to loopback, saying why, while the API is open', () => {
    const address = listenAddressFor('0.0.0.0', false);
    expect(address.host).toBe('127.0.0.1');
    expect(address.warning).toMatch(/no API token exists: listening on 127\.0\.0\.1 instead of 0\.0\.0\.0/);
  });

  it.each(['127.0.0.1', '127.0.5.9', 'localhost', '::1'])('keeps the loopback address %s and still warns that the API is open', (host) => {
    const address = listenAddressFor(host, false);
    expect(address.host).toBe(host);
    expect(address.warning).toMatch(/open to local clients only/);
  });
});
