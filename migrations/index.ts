import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { ScanAttempts1763800300000 } from './1763800300000-scan-attempts';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [InitialSchema1763730000000, ScanAttempts1763800300000];
