import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { ApiTokens1763800400000 } from './1763800400000-api-tokens';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [
  InitialSchema1763730000000,
  ApiTokens1763800400000,
];
