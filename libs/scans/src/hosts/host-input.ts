import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
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

/** Host names are used in URLs and CLI arguments: keep them plain. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** OpenSSH's SHA256 fingerprint form: "SHA256:" + 43 base64 characters without padding. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** Absolute paths without characters that have a meaning to a shell or break a line. */
const SAFE_PATH = /^\/[^\0\n\r;&|`$<>'"\\]*$/;
const SAFE_URL = /^https?:\/\/[^\s'"`$\\;|&<>]+$/;

/** Secrets below are write-only: stored encrypted, never shown again (views carry `has…` flags). */
export class AuthInput {
  @ApiProperty({ enum: ['key', 'agent', 'password'] })
  @IsIn(['key', 'agent', 'password'], { message: 'type must be "key", "agent" or "password"' })
  type: 'key' | 'agent' | 'password';

  @ApiPropertyOptional({ description: 'absolute path of the private key file on the collector (type "key" needs this or privateKey)' })
  @ValidateIf((o: AuthInput) => (o.type === 'key' && o.privateKey === undefined) || o.privateKeyPath !== undefined)
  @IsString({ message: 'privateKeyPath is required when type is "key" (or give privateKey)' })
  @Matches(SAFE_PATH, { message: 'privateKeyPath must be an absolute path without shell characters' })
  @MaxLength(1024)
  privateKeyPath?: string;

  /** An inline private key (OpenSSH or PEM), stored encrypted instead of read from a file. */
  @ApiPropertyOptional({ writeOnly: true, description: 'inline OpenSSH or PEM private key, stored encrypted, never shown again' })
  @IsOptional()
  @IsString({ message: 'privateKey must be a string' })
  @MaxLength(16384, { message: 'privateKey must be at most 16384 characters' })
  @Matches(/-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/, { message: 'privateKey must be an OpenSSH or PEM private key' })
  privateKey?: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'passphrase of the private key, stored encrypted' })
  @IsOptional()
  @IsString({ message: 'passphrase must be a string' })
  @MaxLength(1024, { message: 'passphrase must be at most 1024 characters' })
  passphrase?: string;

  @ApiPropertyOptional({ writeOnly: true, description: 'required when type is "password" (and ALLOW_PASSWORD_AUTH is on); stored encrypted' })
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
  @ApiPropertyOptional({ description: 'absolute path on the host' })
  @IsOptional() @Matches(SAFE_PATH, { message: 'apachectl must be an absolute path without shell characters' })
  apachectl?: string;

  @ApiPropertyOptional({ description: 'absolute path on the host' })
  @IsOptional() @Matches(SAFE_PATH, { message: 'apxs must be an absolute path without shell characters' })
  apxs?: string;

  @ApiPropertyOptional({ description: 'absolute path on the host' })
  @IsOptional() @Matches(SAFE_PATH, { message: 'modWsgiSo must be an absolute path without shell characters' })
  modWsgiSo?: string;

  @ApiPropertyOptional({ description: 'absolute path on the host' })
  @IsOptional() @Matches(SAFE_PATH, { message: 'python must be an absolute path without shell characters' })
  python?: string;

  @ApiPropertyOptional({ description: 'URL of the diagnostic WSGI script, fetched on the host' })
  @IsOptional() @Matches(SAFE_URL, { message: 'diagnosticUrl must be an http(s) URL without shell characters' })
  diagnosticUrl?: string;
}

class HostFields {
  @ApiProperty({ example: '10.0.0.5', description: 'host name or IP address' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(255)
  @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'address must be a host name or IP address' })
  address: string;

  @ApiPropertyOptional({ default: 22, minimum: 1, maximum: 65535 })
  @IsInt({ message: 'port must be an integer' })
  @Min(1)
  @Max(65535)
  port: number = 22;

  @ApiProperty({ example: 'deploy' })
  @IsString()
  @Matches(/^[A-Za-z_][A-Za-z0-9._-]{0,63}$/, { message: 'username must be a valid login name' })
  username: string;

  @ApiProperty({ type: AuthInput })
  @IsObject()
  @ValidateNested()
  @Type(() => AuthInput)
  auth: AuthInput;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'SHA256:…', description: 'pinned host key; required when hostKeyPolicy is "pinned"; with accept-new the first scan pins the presented one' })
  @ValidateIf((o: HostFields) => o.hostKeyPolicy === 'pinned' || (o.hostKey !== undefined && o.hostKey !== null))
  @Matches(FINGERPRINT_PATTERN, { message: 'hostKey must be an OpenSSH SHA256 fingerprint ("SHA256:…")' })
  @IsString({ message: 'hostKey is required when hostKeyPolicy is "pinned"' })
  hostKey?: string | null;

  /** Absent: the collector's HOST_KEY_POLICY. */
  @ApiPropertyOptional({ enum: ['pinned', 'known-hosts', 'accept-new'], description: "absent: the collector's HOST_KEY_POLICY" })
  @IsOptional() @IsIn(['pinned', 'known-hosts', 'accept-new'], HOST_KEY_POLICY_MESSAGE)
  hostKeyPolicy?: 'pinned' | 'known-hosts' | 'accept-new';

  /** Absent: the collector's KNOWN_HOSTS_FILE. */
  @ApiPropertyOptional({ description: "absolute path of a known_hosts file on the collector; absent: the collector's KNOWN_HOSTS_FILE" })
  @IsOptional() @Matches(SAFE_PATH, KNOWN_HOSTS_MESSAGE) @MaxLength(1024)
  knownHostsFile?: string;

  @ApiPropertyOptional({ example: 'bastion-1', description: 'name of a registered host to connect through' })
  @IsOptional() @Matches(HOST_NAME_PATTERN, JUMP_HOST_MESSAGE)
  jumpHost?: string;

  /** Run the probe as `sudo -n sh -s`. */
  @ApiPropertyOptional({ description: 'run the probe as `sudo -n sh -s`' })
  @IsOptional() @IsBoolean({ message: 'sudo must be true or false' })
  sudo?: boolean;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { each: true, message: 'labels must be short words (letters, digits, . _ : -)' })
  labels?: string[];

  @ApiPropertyOptional({ type: OverridesInput })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => OverridesInput)
  overrides?: OverridesInput;
}

/** POST /hosts and `driftwatch hosts add`. */
export class CreateHostInput extends HostFields {
  @ApiProperty({ example: 'web-1', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' })
  @IsString()
  @Matches(HOST_NAME_PATTERN, { message: 'name must be 1-100 letters, digits, dots, dashes or underscores' })
  name: string;
}

/** PATCH /hosts/:name: every field optional; `hostKey: null` forgets the pin (next scan pins again). */
export class UpdateHostInput {
  @ApiPropertyOptional()
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(255)
  @Matches(/^[A-Za-z0-9.:_-]+$/, { message: 'address must be a host name or IP address' })
  address?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 65535 })
  @IsOptional() @IsInt({ message: 'port must be an integer' }) @Min(1) @Max(65535)
  port?: number;

  @ApiPropertyOptional()
  @IsOptional() @Matches(/^[A-Za-z_][A-Za-z0-9._-]{0,63}$/, { message: 'username must be a valid login name' })
  username?: string;

  @ApiPropertyOptional({ type: AuthInput })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => AuthInput)
  auth?: AuthInput;

  @ApiPropertyOptional({ type: String, nullable: true, description: 'null forgets the pinned key (the next scan pins again)' })
  @IsOptional()
  @Matches(FINGERPRINT_PATTERN, { message: 'hostKey must be an OpenSSH SHA256 fingerprint ("SHA256:…") or null' })
  hostKey?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 50 })
  @IsOptional() @IsArray() @ArrayMaxSize(50)
  @Matches(/^[A-Za-z0-9._:-]{1,64}$/, { each: true, message: 'labels must be short words (letters, digits, . _ : -)' })
  labels?: string[];

  @ApiPropertyOptional({ type: OverridesInput })
  @IsOptional() @IsObject() @ValidateNested() @Type(() => OverridesInput)
  overrides?: OverridesInput;

  /** null: back to the collector's default. */
  @ApiPropertyOptional({ enum: ['pinned', 'known-hosts', 'accept-new'], nullable: true, description: "null: back to the collector's HOST_KEY_POLICY" })
  @IsOptional() @IsIn(['pinned', 'known-hosts', 'accept-new'], HOST_KEY_POLICY_MESSAGE)
  hostKeyPolicy?: 'pinned' | 'known-hosts' | 'accept-new' | null;

  @ApiPropertyOptional({ type: String, nullable: true, description: "null: back to the collector's KNOWN_HOSTS_FILE" })
  @IsOptional() @Matches(SAFE_PATH, KNOWN_HOSTS_MESSAGE) @MaxLength(1024)
  knownHostsFile?: string | null;

  /** null: connect directly again. */
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null: connect directly again' })
  @IsOptional() @Matches(HOST_NAME_PATTERN, JUMP_HOST_MESSAGE)
  jumpHost?: string | null;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean({ message: 'sudo must be true or false' })
  sudo?: boolean;

  /** The reference of its label cohorts (GET /fleet/drift). */
  @ApiPropertyOptional({ description: 'the reference of its label cohorts (GET /fleet/drift)' })
  @IsOptional() @IsBoolean({ message: 'golden must be true or false' })
  golden?: boolean;
}

/** POST /hosts/import: an inventory's text and what to assume where it says nothing. */
export class ImportHostsInput {
  @ApiProperty({ enum: ['ansible', 'ssh-config'] })
  @IsIn(['ansible', 'ssh-config'], { message: 'format must be "ansible" or "ssh-config"' })
  format: 'ansible' | 'ssh-config';

  @ApiProperty({ description: 'the inventory text (Ansible INI/YAML or an OpenSSH client config)', maxLength: 1_000_000 })
  @IsString({ message: 'content must be the inventory text' })
  @MaxLength(1_000_000, { message: 'content must be at most 1000000 characters' })
  content: string;

  @ApiPropertyOptional({ description: 'login name of hosts the inventory gives none for' })
  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9._-]{0,63}$/, { message: 'defaultUser must be a valid login name' })
  defaultUser?: string;
}
