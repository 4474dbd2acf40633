import { Injectable } from '@nestjs/common';

/** One readiness check: `up` false makes the process not ready; `details` goes into the answer. */
export type ReadinessCheck = () => Promise<{ up: boolean; details?: Record<string, unknown> }>;

/**
 * What /health/ready asks besides the database. Modules register what they need to be ready
 * (the scheduler registers itself in processes with the scheduler role). Never put secrets in
 * `details`: they are served to anyone who can reach /health/ready.
 */
@Injectable()
export class ReadinessRegistry {
  private readonly checks = new Map<string, ReadinessCheck>();

  /** Returns the function that unregisters. A name may be registered once. */
  register(name: string, check: ReadinessCheck): () => void {
    if (this.checks.has(name)) throw new Error(`readiness check "${name}" is already registered`);
    this.checks.set(name, check);
    return () => this.checks.delete(name);
  }

  entries(): Array<[string, ReadinessCheck]> {
    return [...this.checks.entries()];
  }
}
