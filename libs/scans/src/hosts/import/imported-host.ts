/** One host as an inventory describes it, before it becomes a registration. */
export interface ImportedHost {
  name: string;
  address: string;
  port?: number;
  username?: string;
  privateKeyPath?: string;
  /** Name of another host (of the same import or already registered) to connect through. */
  jumpHost?: string;
  labels: string[];
}

export interface ParsedInventory {
  hosts: ImportedHost[];
  /** Entries that were left out, and why (patterns, unsupported keywords…). */
  warnings: string[];
}
