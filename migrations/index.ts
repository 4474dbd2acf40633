import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { DriftEvents1763800000000 } from './1763800000000-drift-events';
import { FleetWebhooks1763800100000 } from './1763800100000-fleet-webhooks';
import { HostAccess1763800200000 } from './1763800200000-host-access';
import { ScanAttempts1763800300000 } from './1763800300000-scan-attempts';
import { ApiTokens1763800400000 } from './1763800400000-api-tokens';
import { RetentionIndexes1765000100000 } from './1765000100000-retention-indexes';
import { SealedWebhookSecrets1765000200000 } from './1765000200000-sealed-webhook-secrets';
import { ScanNegotiation1765000400000 } from './1765000400000-scan-negotiation';

/**
 * Every migration, in timestamp order (the order TypeORM applies them to a new database).
 * Append only: a merged migration is never edited, and a new one takes a later timestamp.
 */
export const MIGRATIONS = [
  InitialSchema1763730000000,
  DriftEvents1763800000000,
  FleetWebhooks1763800100000,
  HostAccess1763800200000,
  ScanAttempts1763800300000,
  ApiTokens1763800400000,
  RetentionIndexes1765000100000,
  SealedWebhookSecrets1765000200000,
  ScanNegotiation1765000400000,
];
