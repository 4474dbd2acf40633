export { LabHost } from './host/lab-host';
export type { LabHostOptions } from './host/lab-host';
export { LabFleet, spreadOverLoopback } from './lab-fleet';
export type { LabFleetOptions } from './lab-fleet';
export { generateClientKey } from './keys/client-key';
export type { ClientKey } from './keys/client-key';
export { generateEd25519KeyPair } from './keys/ed25519';
export type { Ed25519KeyPair } from './keys/ed25519';
export { ProfileBuilder, LAB_ROOT } from './profiles/profile';
export type { LabProfile, CommandCase, CommandOutput } from './profiles/profile';
export { FixtureDir, repoRoot } from './profiles/fixtures';
export { withModule, withoutModule, withMpm, withApacheVersion, withRebuild, withKernel, withCommandScript } from './profiles/mutators';
export { debian12EventProfile, debian12PreforkEmbeddedProfile, debian12NoApacheProfile } from './profiles/debian-12.profile';
export { centos7HttpdProfile } from './profiles/centos-7.profile';

export { closedPort, silentServer } from './testing/transport-kit';
