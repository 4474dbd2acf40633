import { InitialSchema1763730000000 } from './1763730000000-initial-schema';
import { HostAccess1763800200000 } from './1763800200000-host-access';

/** Every migration, oldest first. Append only: a merged migration is never edited. */
export const MIGRATIONS = [InitialSchema1763730000000, HostAccess1763800200000];
