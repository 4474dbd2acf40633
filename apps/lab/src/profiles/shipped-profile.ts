import { LabProfile } from './profile';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * A shipped profile: built from the fixtures on first use, then shared and frozen, so no
 * caller can change what another one gets (the mutators return new profiles instead).
 */
export function shippedProfile(build: () => LabProfile): () => LabProfile {
  let built: LabProfile | undefined;
  return () => (built ??= deepFreeze(build()));
}
