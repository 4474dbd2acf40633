/** What the transport needs to know to reach one host and how it reports what happened. */
import type { HostKeyPolicy } from './host-key-policy';

/** How to log in. Secrets (passphrase, inline key, password) arrive decrypted and are never echoed. */
export type SshAuth =
  | { type: 'key'; privateKeyPath: string; passphrase?: string }
  | { type: 'inline-key'; privateKey: string; passphrase?: string }
  | { type: 'agent'; /** Defaults to process.env.SSH_AUTH_SOCK, read at exec time. */ socketPath?: string }
  | { type: 'password'; password: string };

export interface SshTarget {
  address: string;
  port: number;
  username: string;
  auth: SshAuth;
  /** Pinned fingerprint ('SHA256:...' as OpenSSH prints it), or null to trust on first use. */
  hostKey: string | null;
  /** Default `accept-new`: a null hostKey is trusted on first use, a pinned one must match. */
  hostKeyPolicy?: HostKeyPolicy;
  /** The OpenSSH known_hosts file checked under the `known-hosts` policy (read at exec time). */
  knownHostsFile?: string;
  /** Reach this host through another (its own key checked under its own policy). */
  jumpHost?: JumpTarget;
}

/** A host connections are forwarded through; `name` is how messages refer to it. */
export interface JumpTarget extends SshTarget {
  name: string;
}

export interface ExecLimits {
  /** TCP connect + SSH handshake + authentication. */
  connectTimeoutMs: number;
  /** From the authenticated session to the command's exit. */
  commandTimeoutMs: number;
  /** Bytes kept per stream; the rest is read and dropped. */
  maxOutputBytes: number;
}

export const DEFAULT_MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

export type SshOutcome = 'ok' | 'unreachable' | 'auth-failed' | 'hostkey-mismatch' | 'timeout' | 'failed';

/** The algorithms one SSH connection agreed on (client to server; ssh2 uses the same both ways). */
export interface NegotiatedAlgorithms {
  kex: string;
  hostKeyAlgorithm: string;
  cipher: string;
}

export interface ExecResult {
  outcome: SshOutcome;
  /** Why the outcome is not 'ok' (or how an 'ok' command ended oddly). Never holds secrets. */
  error?: string;
  /** Fingerprint the server presented, 'SHA256:<base64 without padding>'; absent if none was seen. */
  hostKey?: string;
  /** Fingerprint the (first) jump host presented, when the target is reached through one. */
  jumpHostKey?: string;
  /** What the SSH handshake negotiated; absent when none finished. */
  negotiated?: NegotiatedAlgorithms;
  /** The command's exit status; null when it was killed by a signal or none was reported. */
  exitCode: number | null;
  stdout: Buffer;
  stderr: Buffer;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
}

/** The result of an exec that never ran a command. */
export function failedExec(error: string, durationMs = 0): ExecResult {
  return {
    outcome: 'failed',
    error,
    exitCode: null,
    stdout: Buffer.alloc(0),
    stderr: Buffer.alloc(0),
    stdoutTruncated: false,
    stderrTruncated: false,
    durationMs,
  };
}

export interface ExecHooks {
  /** Every stdout chunk as it is kept (never more than maxOutputBytes in total). */
  onStdout?(chunk: Buffer): void;
}

/** What one SSH session does once logged in: run a command, or write one file over SFTP. */
export type SessionJob =
  | { kind: 'exec'; command: string; stdin: string }
  | { kind: 'upload'; remotePath: string; content: Buffer; mode: number };
