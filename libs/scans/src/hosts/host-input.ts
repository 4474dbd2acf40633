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

/** Host names are used in URLs and CLI arguments: keep them plain. */
export const HOST_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
/** OpenSSH's SHA256 fingerprint form: "SHA256:" + 43 base64 characters without padding. */
export const FINGERPRINT_PATTERN = /^SHA256:[A-Za-z0-9+/]{43}$/;
/** Absolute paths without characters that have a meaning to a shell or break a line. */
const SAFE_PATH = /^\/[^\0\n\r;&|`$<>'"\\]*$/;
const SAFE_URL = /^https?:\/\/[^\s'"`$\\;|&<>]+$/;

export class AuthInput {
  @IsIn(['key', 'agent'], { message: 'type must be "key" or "agent"' })
  type: 'key' | 'agent';

  @ValidateIf((o: AuthInput) => o.type === 'key' || o.privateKeyPath !== undefined)
  @IsString({ message: 'privateKeyPath is required when type is "key"' })
  @Matches(SAFE_PATH, { message: 'privateKeyPath must be an absolute path without shell characters' })
  @MaxLength(1024)
  privateKeyPath?: string;
}

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

  @IsOptional()
  @Matches(FINGERPRINT_PATTERN, { message: 'hostKey must be an OpenSSH SHA256 fingerprint ("SHA256:…")' })
  hostKey?: string | null;

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

  /** The reference of its label cohorts (GET /fleet/drift). */
  @IsOptional() @IsBoolean({ message: 'golden must be true or false' })
  golden?: boolean;
}
