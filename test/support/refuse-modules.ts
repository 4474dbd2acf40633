/**
 * Stands a factory that throws in for each named module, in the calling spec's module registry,
 * and returns the list of load attempts: a static import of one anywhere under what the spec
 * then requires fails it, and a load that something catches still shows in the list.
 * Call it at the top of a spec, before requiring what is under test.
 */
export function refuseModules(names: string[]): string[] {
  const attempts: string[] = [];
  for (const name of names) {
    jest.mock(name, () => {
      attempts.push(name);
      throw new Error(`${name} loaded`);
    });
  }
  return attempts;
}

export const QUEUE_MODULES = ['bullmq', 'ioredis', '@nestjs/bullmq'];
export const OPENAPI_MODULES = ['@nestjs/swagger'];
