import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { DriftEvents1763800000000 } from './1763800000000-drift-events';
import { ApiTokens1763800400000 } from './1763800400000-api-tokens';

/**
 * Every migration, in timestamp order (the order TypeORM applies them to a new database).
 * Append only: a merged migration is never edited, and a new one takes a later timestamp.
 */
export const MIGRATIONS = [InitialSchema1763730000000, DriftEvents1763800000000, ApiTokens1763800400000];
