import { LabHost } from './host/lab-host';
import { LabProfile } from './profiles/profile';
import { LabWorkspace } from './workspace/lab-workspace';

export interface LabFleetOptions {
  count: number;
  profile(index: number): LabProfile;
  /** OpenSSH public key line every host accepts. */
  authorizedKey: string;
  /** One loopback address for all (default 127.0.0.1, distinct ports), or one per host. */
  address?: string | ((index: number) => string);
  /** Directory (not existing yet) for the fleet's workspace; default a fresh temporary one. */
  root?: string;
}

/** 127.0.1.1, 127.0.1.2, … 127.0.1.254, 127.0.2.1, …: a distinct loopback address per host. */
export function spreadOverLoopback(index: number): string {
  const block = Math.floor(index / 254);
  if (block > 254) throw new Error(`no loopback address for host ${index}`);
  return `127.0.${block + 1}.${(index % 254) + 1}`;
}

/**
 * Many lab hosts in one process, sharing one temporary workspace (removed on stop). Each host
 * has its own key and address:port; hosts with the same profile share one tree of stubs and files.
 */
export class LabFleet {
  private constructor(
    readonly hosts: readonly LabHost[],
    private readonly workspace: LabWorkspace,
  ) {}

  get root(): string {
    return this.workspace.root;
  }

  static async start(options: LabFleetOptions): Promise<LabFleet> {
    const workspace = LabWorkspace.create(options.root);
    const addressOf = typeof options.address === 'function' ? options.address : () => (options.address as string | undefined) ?? '127.0.0.1';
    const started = await Promise.allSettled(
      Array.from({ length: options.count }, (_, i) =>
        LabHost.start({
          profile: options.profile(i),
          authorizedKey: options.authorizedKey,
          address: addressOf(i),
          workspace,
        }),
      ),
    );
    const hosts = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const failure = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    const fleet = new LabFleet(hosts, workspace);
    if (failure) {
      await fleet.stop();
      throw failure.reason;
    }
    return fleet;
  }

  async stop(): Promise<void> {
    await Promise.all(this.hosts.map((host) => host.stop()));
    this.workspace.remove();
  }
}
