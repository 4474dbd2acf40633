import { Check } from './check';
import { apacheBuildCheck } from './checks/apache-build.check';
import { apacheModulesCheck } from './checks/apache-modules.check';

/** Every check the probe runs, in the order the guide presents them. */
export const CHECKS: readonly Check[] = [apacheBuildCheck, apacheModulesCheck];
