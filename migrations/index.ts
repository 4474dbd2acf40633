import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { DriftEvents1763800000000 } from './1763800000000-drift-events';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [InitialSchema1763730000000, DriftEvents1763800000000];
