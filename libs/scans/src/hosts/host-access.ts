import type { HostEntity } from '@driftwatch/persistence';
import { DomainError, DomainErrorCode } from '../errors';
import { SecretBox } from '../secrets/secret-box';
import { AuthInput } from './host-input';

/** The stored columns that say how to log in to a host. */
export type StoredAuth = Pick<HostEntity, 'authType' | 'privateKeyPath' | 'secretPassword' | 'secretPassphrase' | 'secretPrivateKey'>;

const invalid = (message: string) => new DomainError(DomainErrorCode.InvalidInput, message);

/**
 * Turns validated auth input into stored columns, sealing every secret. Refuses (400, naming
 * the field) password logins the collector does not allow, secrets that do not belong to the
 * method, and any secret when no DRIFTWATCH_SECRET_KEY is configured.
 */
export function storedAuthOf(auth: AuthInput, box: SecretBox, allowPasswordAuth: boolean): StoredAuth {
  if (auth.type === 'password' && !allowPasswordAuth) {
    throw invalid('auth.type "password" is disabled on this collector: set ALLOW_PASSWORD_AUTH=true to allow password logins (key or agent logins are preferred)');
  }
  const allowed: Record<AuthInput['type'], (keyof AuthInput)[]> = {
    key: ['privateKeyPath', 'privateKey', 'passphrase'],
    agent: [],
    password: ['password'],
  };
  for (const field of ['privateKeyPath', 'privateKey', 'passphrase', 'password'] as const) {
    if (auth[field] !== undefined && !allowed[auth.type].includes(field)) throw invalid(`auth.${field} does not apply to auth.type "${auth.type}"`);
  }
  if (auth.type === 'key' && auth.privateKey !== undefined && auth.privateKeyPath !== undefined) {
    throw invalid('auth.privateKey and auth.privateKeyPath exclude each other: give one');
  }
  const secrets = (['password', 'passphrase', 'privateKey'] as const).filter((f) => auth[f] !== undefined);
  if (secrets.length && !box.canSeal) {
    throw invalid(`auth.${secrets[0]} cannot be stored: the collector has no DRIFTWATCH_SECRET_KEY to encrypt secrets with (32 bytes, base64 or hex)`);
  }
  return {
    authType: auth.type,
    privateKeyPath: auth.type === 'key' ? (auth.privateKeyPath ?? null) : null,
    secretPassword: auth.password !== undefined ? box.seal(auth.password, 'password') : null,
    secretPassphrase: auth.passphrase !== undefined ? box.seal(auth.passphrase, 'passphrase') : null,
    secretPrivateKey: auth.privateKey !== undefined ? box.seal(auth.privateKey, 'private-key') : null,
  };
}
