import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

// Validation only: the OpenAPI description is apps/collector/src/openapi/api-inputs.ts (Swagger stays out of the library).

/** Host names are used in URLs and CLI arguments: keep them plain. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** OpenSSH's SHA256 fingerprint form: "SHA256:" + 43 base64 characters without padding. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** Absolute paths without characters that have a meaning to a shell or break a line. */
const SAFE_PATH = /^\/[^\0\n\r;&|`$<>'"\\]*$/;
const SAFE_URL = /^https?:\/\/[^\s'"`$\\;|&<>]+$/;

/** Secrets below are write-only: stored encrypted, never shown again (views carry `has…` flags). */
export class AuthInput {
  @IsIn(['key', 'agent', 'password'], { message: 'type must be "key", "agent" or "password"' })
  type: 'key' | 'agent' | 'password';

  @ValidateIf((o: AuthInput) => (o.type === 'key' && o.privateKey === undefined) || o.privateKeyPath !== undefined)
  @IsString({ message: 'privateKeyPath is required when type is "key" (or give privateKey)' })
  @Matches(SAFE_PATH, { message: 'privateKeyPath must be an absolute path without shell characters' })
  @MaxLength(1024)
  privateKeyPath?: string;

  /** An inline private key (OpenSSH or PEM), stored encrypted instead of read from a file. */
  @IsOptional()
  @IsString({ message: 'privateKey must be a string' })
  @MaxLength(16384, { message: 'privateKey must be at most 16384 characters' })
  @Matches(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, { message: 'privateKey must be an OpenSSH or PEM private key' })
  privateKey?: string;

  @IsOptional()
  @IsString({ message: 'passphrase must be a string' })
  @MaxLength(1024, { message: 'passphrase must be at most 1024 characters' })
  passphrase?: string;

  @ValidateIf((o: AuthInput) => o.type === 'password' || o.password !== undefined)
  @MaxLength(1024, { message: 'password must be at most 1024 characters' })
  @IsNotEmpty({ message: 'password is required when auth.type is "password"' })
  @IsString({ message: 'password is required when auth.type is "password"' })
  password?: string;
}

const HOST_KEY_POLICY_MESSAGE = { message: 'hostKeyPolicy must be "pinned", "known-hosts" or "accept-new"' };
const KNOWN_HOSTS_MESSAGE = { message: 'knownHostsFile must be an absolute path without shell characters' };
const JUMP_HOST_MESSAGE = { message: 'jumpHost must be the name of a registered host' };

export class OverridesInput {
  @IsOptional() @Matches(SAFE_PATH, { message: 'apachectl must be an absolute path without shell characters' })
  apachectl?: string;

  @IsOptional() @Matches(SAFE_PATH, { message: 'apxs must be an absolute path without shell characters' })
  apxs?: string;

  @IsOptional() @Matches(SAFE_PATH, { message: 'modWsgiSo must be an absolute path without shell characters' })
  modWsgiSo?: string;

  @IsOptional() @Matches(SAFE_PATH, { message: 'python must be an absolute path without shell characters' })
  python?: string;

  @IsOptional() @Matches(SAFE_URL, { message: 'diagnosticUrl must be an http(s) URL without shell characters' })
  diagnosticUrl?: string;

  @IsOptional() @Matches(/^[1-9][0-9]{0,7}$/, { message: 'errorLogBytes must be a number of bytes (at most 4194304 are read)' })
  errorLogBytes?: string;
}

class HostFields {
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'address must be a host name or IP address' })
  address: string;

  @IsInt({ message: 'port must be an integer' })
  @Min(1)
  @Max(65535)
  port: number = 22;

  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9._-]{0,63}$/, { message: 'username must be a valid login name' })
  username: string;

  @IsObject()
  @ValidateNested()
  @Type(() => AuthInput)
  auth: AuthInput;

  @ValidateIf((o: HostFields) => o.hostKeyPolicy === 'pinned' || (o.hostKey !== undefined && o.hostKey !== null))
  @Matches(FINGERPRINT_PATTERN, { message: 'hostKey must be an OpenSSH SHA256 fingerprint ("SHA256:…")' })
  @IsString({ message: 'hostKey is required when hostKeyPolicy is "pinned"' })
  hostKey?: string | null;

  /** Absent: the collector's HOST_KEY_POLICY. */
  @IsOptional() @IsIn(['pinned', 'known-hosts', 'accept-new'], HOST_KEY_POLICY_MESSAGE)
  hostKeyPolicy?: 'pinned' | 'known-hosts' | 'accept-new';

  /** Absent: the collector's KNOWN_HOSTS_FILE. */
  @IsOptional() @Matches(SAFE_PATH, KNOWN_HOSTS_MESSAGE) @MaxLength(1024)
  knownHostsFile?: string;

  @IsOptional() @Matches(HOST_NAME_PATTERN, JUMP_HOST_MESSAGE)
  jumpHost?: string;

  /** Run the probe as `sudo -n sh -s`. */
  @IsOptional() @IsBoolean({ message: 'sudo must be true or false' })
  sudo?: boolean;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { each: true, message: 'labels must be short words (letters, digits, . _ : -)' })
  labels?: string[];

  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OverridesInput)
  overrides?: OverridesInput;
}

/** POST /hosts and `driftwatch hosts add`. */
export class CreateHostInput extends HostFields {
  @IsString()
  @Matches(HOST_NAME_PATTERN, { message: 'name must be 1-100 letters, digits, dots, dashes or underscores' })
  name: string;
}

/** PATCH /hosts/:name: every field optional; `hostKey: null` forgets the pin (next scan pins again). */
export class UpdateHostInput {
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255)
  @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'address must be a host name or IP address' })
  address?: string;

  @IsOptional() @IsInt({ message: 'port must be an integer' }) @Min(1) @Max(65535)
  port?: number;

  @IsOptional() @Matches(/^[A-Za-z_][A-Za-z0-9._-]{0,63}$/, { message: 'username must be a valid login name' })
  username?: string;

  @IsOptional() @IsObject() @ValidateNested() @Type(() => AuthInput)
  auth?: AuthInput;

  @IsOptional()
  @Matches(FINGERPRINT_PATTERN, { message: 'hostKey must be an OpenSSH SHA256 fingerprint ("SHA256:…") or null' })
  hostKey?: string | null;

  @IsOptional() @IsArray() @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { each: true, message: 'labels must be short words (letters, digits, . _ : -)' })
  labels?: string[];

  @IsOptional() @IsObject() @ValidateNested() @Type(() => OverridesInput)
  overrides?: OverridesInput;

  /** null: back to the collector's default. */
  @IsOptional() @IsIn(['pinned', 'known-hosts', 'accept-new'], HOST_KEY_POLICY_MESSAGE)
  hostKeyPolicy?: 'pinned' | 'known-hosts' | 'accept-new' | null;

  @IsOptional() @Matches(SAFE_PATH, KNOWN_HOSTS_MESSAGE) @MaxLength(1024)
  knownHostsFile?: string | null;

  /** null: connect directly again. */
  @IsOptional() @Matches(HOST_NAME_PATTERN, JUMP_HOST_MESSAGE)
  jumpHost?: string | null;

  @IsOptional() @IsBoolean({ message: 'sudo must be true or false' })
  sudo?: boolean;

  /** The reference of its label cohorts (GET /fleet/drift). */
  @IsOptional() @IsBoolean({ message: 'golden must be true or false' })
  golden?: boolean;
}

/** POST /hosts/import: an inventory's text and what to assume where it says nothing. */
export class ImportHostsInput {
  @IsIn(['ansible', 'ssh-config'], { message: 'format must be "ansible" or "ssh-config"' })
  format: 'ansible' | 'ssh-config';

  @IsString({ message: 'content must be the inventory text' })
  @MaxLength(1_000_000, { message: 'content must be at most 1000000 characters' })
  content: string;

  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9._-]{0,63}$/, { message: 'defaultUser must be a valid login name' })
  defaultUser?: string;
}
