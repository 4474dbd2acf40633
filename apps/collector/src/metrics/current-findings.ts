import { StatesRepository } from '@driftwatch/persistence';
import { contentOf } from '@driftwatch/scans';

interface HostFindings {
  stateId: number;
  findings: Array<{ id: string; severity: string }>;
}

/**
 * The findings of every host's current state, read from the database so that every collector
 * process reports the whole fleet. A state's content never changes, so only hosts whose
 * current state moved since the last look are read again.
 */
export class CurrentFindings {
  private readonly byHost = new Map<number, HostFindings>();

  constructor(private readonly states: StatesRepository) {}

  /** Hosts per finding id and severity. */
  async count(): Promise<Array<{ id: string; severity: string; hosts: number }>> {
    const latest = await this.states.latestIds();
    for (const hostId of this.byHost.keys()) if (!latest.has(hostId)) this.byHost.delete(hostId);
    for (const [hostId, stateId] of latest) {
      if (this.byHost.get(hostId)?.stateId === stateId) continue;
      const state = await this.states.findById(stateId);
      if (!state) continue;
      this.byHost.set(hostId, { stateId, findings: contentOf(state).findings.map((f) => ({ id: f.id, severity: f.severity })) });
    }
    const counts = new Map<string, { id: string; severity: string; hosts: number }>();
    for (const { findings } of this.byHost.values()) {
      for (const f of findings) {
        const key = `${f.id}\0${f.severity}`;
        const entry = counts.get(key) ?? { ...f, hosts: 0 };
        entry.hosts += 1;
        counts.set(key, entry);
      }
    }
    return [...counts.values()];
  }
}
