import { randomBytes } from 'node:crypto';
import { SecretKey } from '@driftwatch/config';
import { SecretBox } from './secret-box';

describe(SecretBox.name, () => {
  const key = new SecretKey(randomBytes(32));
  const other = new SecretKey(randomBytes(32));
  const sut = new SecretBox(key);

  it('seals so that the plain text is nowhere in the envelope, and opens it again', () => {
    const secret = 'correct horse battery staple';
    const envelope = sut.seal(secret, 'password');
    expect(envelope).toMatch(new RegExp(`^v1:${key.id}:`));
    expect(envelope).not.toContain(secret);
    expect(envelope).not.toContain(Buffer.from(secret).toString('base64'));
    expect(sut.open(envelope, 'password')).toBe(secret);
    expect(sut.seal(secret, 'password')).not.toBe(envelope); // fresh IV every time
  });

  it('refuses an envelope used for another purpose or tampered with, without quoting it', () => {
    const envelope = sut.seal('s3cret', 'passphrase');
    expect(() => sut.open(envelope, 'password')).toThrow('failed its integrity check');
    const parts = envelope.split(':');
    parts[4] = Buffer.from('x' + Buffer.from(parts[4]!, 'base64').toString('latin1'), 'latin1').toString('base64');
    expect(() => sut.open(parts.join(':'), 'passphrase')).toThrow(/integrity/);
  });

  it('opens secrets sealed with the previous key after a rotation, and says they need resealing', () => {
    const old = new SecretBox(other).seal('before-rotation', 'private-key');
    const rotated = new SecretBox(key, other);
    expect(rotated.open(old, 'private-key')).toBe('before-rotation');
    expect(rotated.needsResealing(old)).toBe(true);
    expect(rotated.needsResealing(rotated.seal('x', 'password'))).toBe(false);
    expect(() => sut.open(old, 'private-key')).toThrow(`sealed with key ${other.id}, which is not configured`);
  });

  it('cannot seal without a key', () => {
    expect(new SecretBox(null).canSeal).toBe(false);
    expect(() => new SecretBox(null).seal('x', 'password')).toThrow('no DRIFTWATCH_SECRET_KEY');
  });

  it('never shows key bytes when the key is printed or serialized', () => {
    const hex = key.bytes.toString('hex');
    const b64 = key.bytes.toString('base64');
    for (const shown of [String(key), JSON.stringify({ key }), require('node:util').inspect(key)]) {
      expect(shown).not.toContain(hex);
      expect(shown).not.toContain(b64);
      expect(shown).toContain(key.id);
    }
  });
});
