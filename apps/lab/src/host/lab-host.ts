import { createServer, Server as NetServer, Socket } from 'node:net';
import { Server as SshServer } from 'ssh2';
import { generateEd25519KeyPair } from '../keys/ed25519';
import { LabProfile } from '../profiles/profile';
import { LabWorkspace } from '../workspace/lab-workspace';
import { AuthorizedKey } from './authorized-key';
import { LabCommand } from './lab-command';
import { serveConnection } from './lab-connection';

export interface LabHostOptions {
  profile: LabProfile;
  /** OpenSSH public key line of the one client key the host accepts. */
  authorizedKey: string;
  /** A loopback address (127.0.0.0/8); default 127.0.0.1. */
  address?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Shared workspace (a fleet's); without one the host makes its own and removes it on stop. */
  workspace?: LabWorkspace;
  /** Directory (not existing yet) for the host's own workspace; default a fresh temporary one. */
  root?: string;
  /** Text sent before the SSH identification line, as some appliances and tarpits do. */
  greeting?: string;
  /** The login banner sent during authentication (OpenSSH's `Banner`). */
  banner?: string;
}

/**
 * A simulated SSH host on a loopback address: its own ed25519 host key, public-key login for
 * one authorized key, and `exec` run by the machine's /bin/sh inside the host's directory,
 * whose stubs print the profile's captured outputs.
 */
export class LabHost {
  private readonly sockets = new Set<Socket>();
  private readonly commands = new Set<LabCommand>();
  private ssh!: SshServer;
  private fingerprint!: string;
  private currentProfile: LabProfile;
  private tree: string;
  private stopped = false;

  private constructor(
    readonly address: string,
    private readonly listener: NetServer,
    private readonly workspace: LabWorkspace,
    private readonly ownsWorkspace: boolean,
    private readonly authorizedKey: AuthorizedKey,
    profile: LabProfile,
    private readonly messages: Pick<LabHostOptions, 'greeting' | 'banner'> = {},
  ) {
    this.currentProfile = profile;
    this.tree = workspace.treeFor(profile);
    this.regenerateHostKey();
    listener.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: LabHostOptions): Promise<LabHost> {
    const address = options.address ?? '127.0.0.1';
    if (!address.startsWith('127.')) throw new Error(`lab hosts listen on loopback only, not ${address}`);
    const authorizedKey = new AuthorizedKey(options.authorizedKey);
    const workspace = options.workspace ?? LabWorkspace.create(options.root);
    const listener = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        listener.once('error', reject);
        listener.listen(options.port ?? 0, address, () => {
          listener.off('error', reject);
          resolve();
        });
      });
      return new LabHost(address, listener, workspace, !options.workspace, authorizedKey, options.profile, { greeting: options.greeting, banner: options.banner });
    } catch (error) {
      listener.close();
      if (!options.workspace) workspace.remove();
      throw error;
    }
  }

  get port(): number {
    const bound = this.listener.address();
    return typeof bound === 'object' && bound ? bound.port : 0;
  }

  /** 'SHA256:...' of the key new connections are offered. */
  get hostKeyFingerprint(): string {
    return this.fingerprint;
  }

  /**
   * The host directory commands run in (HOME, cwd, stubs first in PATH): the profile's tree,
   * which hosts with the same profile share. `${LAB_ROOT}` in the profile stands for it.
   */
  get dir(): string {
    return this.tree;
  }

  get profile(): LabProfile {
    return this.currentProfile;
  }

  /** Commands still running on this host (they are killed when their channel closes). */
  get runningCommands(): number {
    return this.commands.size;
  }

  /** Gives the host a brand-new key; connections made from now on are offered it. */
  regenerateHostKey(): string {
    const key = generateEd25519KeyPair();
    const ssh = new SshServer({ hostKeys: [key.privateKey], ...this.messages });
    ssh.on('connection', (connection) =>
      serveConnection(connection, {
        authorizedKey: this.authorizedKey,
        hostDir: () => this.tree,
        started: (command) => this.commands.add(command),
        ended: (command) => this.commands.delete(command),
      }),
    );
    this.ssh = ssh;
    this.fingerprint = key.fingerprint;
    return key.fingerprint;
  }

  /** Changes what the host's commands print, from the next command on (running ones keep theirs). */
  setProfile(profile: LabProfile): void {
    this.tree = this.workspace.switchTree(this.tree, profile);
    this.currentProfile = profile;
  }

  /** Stops listening, drops every connection, kills running commands. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.listener.close(() => resolve()));
    for (const command of this.commands) command.kill();
    for (const socket of this.sockets) socket.destroy();
    await closed;
    if (this.ownsWorkspace) this.workspace.remove();
  }

  private accept(socket: Socket): void {
    if (this.stopped) {
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    this.ssh.injectSocket(socket);
  }
}
