import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { ApiTokens1763800400000 } from './1763800400000-api-tokens';
import { DriftEvents1763800000000 } from './1763800000000-drift-events';
import { FleetWebhooks1763800100000 } from './1763800100000-fleet-webhooks';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [
  InitialSchema1763730000000,
  ApiTokens1763800400000,
  DriftEvents1763800000000,
  FleetWebhooks1763800100000,
];
