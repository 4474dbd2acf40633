/** One SSH endpoint every measured tool scans. */
export interface TargetHost {
  name: string;
  address: string;
  port: number;
  /** 'SHA256:…' of the key the host presents; every tool verifies it. */
  hostKey: string;
}

/** What the measured programs read (written to a JSON file they get as an argument). */
export interface TargetList {
  kind: 'lab' | 'sshd';
  username: string;
  privateKeyPath: string;
  hosts: TargetHost[];
}

export interface Target extends TargetList {
  /** Files for the OpenSSH-based peers (sshd targets only). */
  openssh?: { sshConfig: string; hostsFile: string; inventory: string; probeCommand: string };
  /** Ends every process the target started and removes what it created. */
  stop(): Promise<void>;
}
