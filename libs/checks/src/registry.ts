import { Check } from './check';
import { apacheBuildCheck } from './checks/apache-build.check';
import { apacheCompiledCheck } from './checks/apache-compiled.check';
import { apacheErrorLogCheck } from './checks/apache-errorlog.check';
import { apacheInstancesCheck } from './checks/apache-instances.check';
import { apacheConfigureCheck } from './checks/apache-configure.check';
import { apacheModulesCheck } from './checks/apache-modules.check';
import { apacheMutexCheck } from './checks/apache-mutex.check';
import { hostPlatformCheck } from './checks/host-platform.check';
import { modWsgiLinkageCheck } from './checks/modwsgi-linkage.check';
import { osPackagesCheck } from './checks/packages-os.check';
import { pythonConfigCheck } from './checks/python-config.check';
import { pythonHomeCheck } from './checks/python-home.check';
import { pythonProcessesCheck } from './checks/python-processes.check';
import { pythonRuntimeCheck } from './checks/python-runtime.check';

/** Every check the probe runs, in the order the guide presents them. */
export const CHECKS: readonly Check[] = [
  apacheBuildCheck,
  apacheConfigureCheck,
  apacheCompiledCheck,
  apacheModulesCheck,
  apacheMutexCheck,
  modWsgiLinkageCheck,
  pythonRuntimeCheck,
  pythonConfigCheck,
  pythonHomeCheck,
  pythonProcessesCheck,
  osPackagesCheck,
  hostPlatformCheck,
  apacheErrorLogCheck,
  apacheInstancesCheck,
];

/** Each check's observed-only fact keys (see `Check.observedFacts`), by check id. */
export const OBSERVED_FACTS: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  CHECKS.filter((c) => c.observedFacts?.length).map((c) => [c.id, c.observedFacts ?? []]),
);
