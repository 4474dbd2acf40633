// System suite: real sshd + Apache/mod_wsgi hosts on this machine (see fleet/real-fleet.ts).
// Needs root and Debian packages; the global setup fails the run, loudly, when they are missing.
// Run: npx jest --config test/system/jest.config.js --runInBand
const common = require('../support/jest-common');

module.exports = {
  ...common,
  displayName: 'system',
  testMatch: ['<rootDir>/test/system/**/*.system-spec.ts'],
  globalSetup: '<rootDir>/test/system/global-setup.ts',
  // One fleet at a time: the hosts' addresses and ports are fixed.
  maxWorkers: 1,
  testTimeout: 120_000,
  slowTestThreshold: 60,
};
