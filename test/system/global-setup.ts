/**
 * Runs once before any system spec: the suite fails here, with what is missing and how to
 * install it, rather than skipping on a machine that cannot host the real fleet.
 */
import { checkPrerequisites } from './fleet/prerequisites';

export default function globalSetup(): void {
  const missing = checkPrerequisites();
  if (missing.length > 0) {
    throw new Error(`system suite prerequisites missing:\n- ${missing.join('\n- ')}`);
  }
}
