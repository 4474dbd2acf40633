import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SEVERITY_LEVELS } from '@driftwatch/drift';
import type { WebhookEventType, WebhookSeverity } from '@driftwatch/persistence';
import * as lib from '@driftwatch/scans';

/**
 * Request bodies for the OpenAPI document. The library's input classes carry only their
 * validation, so that the CLI and the scan processes never load Swagger; these subclasses add
 * the document's metadata and are the controllers' @Body() types, so validation (inherited
 * class-validator and class-transformer metadata) is unchanged. The names stay the library's:
 * they are the schema names. `declare` adds no field, so the library's defaults (port 22,
 * minSeverity info) still apply. Nested inputs are validated as the library's classes
 * (@Type there) and documented as these (`type:` here).
 */

export class AuthInput extends lib.AuthInput {
  @ApiProperty({ enum: ['key', 'agent', 'password'] }) declare type: 'key' | 'agent' | 'password';
  @ApiPropertyOptional({ description: 'absolute path of the private key file on the collector (type "key" needs this or privateKey)' })
  declare privateKeyPath?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'inline OpenSSH or PEM private key, stored encrypted, never shown again' }) declare privateKey?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'passphrase of the private key, stored encrypted' }) declare passphrase?: string;
  @ApiPropertyOptional({ writeOnly: true, description: 'required when type is "password" (and ALLOW_PASSWORD_AUTH is on); stored encrypted' })
  declare password?: string;
}

export class OverridesInput extends lib.OverridesInput {
  @ApiPropertyOptional({ description: 'absolute path on the host' }) declare apachectl?: string;
  @ApiPropertyOptional({ description: 'absolute path on the host' }) declare apxs?: string;
  @ApiPropertyOptional({ description: 'absolute path on the host' }) declare modWsgiSo?: string;
  @ApiPropertyOptional({ description: 'absolute path on the host' }) declare python?: string;
  @ApiPropertyOptional({ description: 'URL of the diagnostic WSGI script, fetched on the host' }) declare diagnosticUrl?: string;
  @ApiPropertyOptional({ description: 'bytes read from the end of the Apache error log (default 262144, at most 4194304)' }) declare errorLogBytes?: string;
}

export class CreateHostInput extends lib.CreateHostInput {
  @ApiProperty({ example: '10.0.0.5', description: 'host name or IP address' }) declare address: string;
  @ApiPropertyOptional({ default: 22, minimum: 1, maximum: 65535 }) declare port: number;
  @ApiProperty({ example: 'deploy' }) declare username: string;
  @ApiProperty({ type: AuthInput }) declare auth: AuthInput;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'SHA256:…',
    description: 'pinned host key; required when hostKeyPolicy is "pinned"; with accept-new the first scan pins the presented one',
  })
  declare hostKey?: string | null;
  @ApiPropertyOptional({ enum: ['pinned', 'known-hosts', 'accept-new'], description: "absent: the collector's HOST_KEY_POLICY" })
  declare hostKeyPolicy?: 'pinned' | 'known-hosts' | 'accept-new';
  @ApiPropertyOptional({ description: "absolute path of a known_hosts file on the collector; absent: the collector's KNOWN_HOSTS_FILE" })
  declare knownHostsFile?: string;
  @ApiPropertyOptional({ example: 'bastion-1', description: 'name of a registered host to connect through' }) declare jumpHost?: string;
  @ApiPropertyOptional({ description: 'run the probe as `sudo -n sh -s`' }) declare sudo?: boolean;
  @ApiPropertyOptional({ type: [String], maxItems: 50 }) declare labels?: string[];
  @ApiPropertyOptional({ type: OverridesInput }) declare overrides?: OverridesInput;
  // Last, as before: the library declares it on CreateHostInput, after the fields it shares.
  @ApiProperty({ example: 'web-1', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' }) declare name: string;
}

export class UpdateHostInput extends lib.UpdateHostInput {
  @ApiPropertyOptional() declare address?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 65535 }) declare port?: number;
  @ApiPropertyOptional() declare username?: string;
  @ApiPropertyOptional({ type: AuthInput }) declare auth?: AuthInput;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null forgets the pinned key (the next scan pins again)' }) declare hostKey?: string | null;
  @ApiPropertyOptional({ type: [String], maxItems: 50 }) declare labels?: string[];
  @ApiPropertyOptional({ type: OverridesInput }) declare overrides?: OverridesInput;
  @ApiPropertyOptional({ enum: ['pinned', 'known-hosts', 'accept-new'], nullable: true, description: "null: back to the collector's HOST_KEY_POLICY" })
  declare hostKeyPolicy?: 'pinned' | 'known-hosts' | 'accept-new' | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: "null: back to the collector's KNOWN_HOSTS_FILE" }) declare knownHostsFile?: string | null;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null: connect directly again' }) declare jumpHost?: string | null;
  @ApiPropertyOptional() declare sudo?: boolean;
  @ApiPropertyOptional({ description: 'the reference of its label cohorts (GET /fleet/drift)' }) declare golden?: boolean;
}

export class ImportHostsInput extends lib.ImportHostsInput {
  @ApiProperty({ enum: ['ansible', 'ssh-config'] }) declare format: 'ansible' | 'ssh-config';
  @ApiProperty({ description: 'the inventory text (Ansible INI/YAML or an OpenSSH client config)', maxLength: 1_000_000 }) declare content: string;
  @ApiPropertyOptional({ description: 'login name of hosts the inventory gives none for' }) declare defaultUser?: string;
}

export class CreateWebhookInput extends lib.CreateWebhookInput {
  @ApiProperty({
    example: 'https://hooks.example.com/driftwatch',
    description: 'http(s), without user or password; not on (nor resolving only to) a loopback, link-local or private address unless WEBHOOK_ALLOW_PRIVATE=true',
  })
  declare url: string;
  @ApiProperty({ enum: lib.WEBHOOK_EVENTS, isArray: true }) declare events: WebhookEventType[];
  @ApiPropertyOptional({ enum: SEVERITY_LEVELS, default: 'info', description: 'drift and finding events below this level are not sent' })
  declare minSeverity: WebhookSeverity;
}
