// System suite: real sshd + Apache/mod_wsgi hosts on this machine (see fleet/real-fleet.ts).
// Needs root and Debian packages; the global setup fails the run, loudly, when they are missing.
// Run: npx jest --config test/system/jest.config.js --runInBand
const { join } = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const rootDir = join(__dirname, '..', '..');
const { compilerOptions } = require(join(rootDir, 'tsconfig.json'));

module.exports = {
  rootDir,
  displayName: 'system',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: join(rootDir, 'tsconfig.json') }],
    // The collector (NestJS 12, ESM only) runs in the specs through the same transform as e2e.
    '/node_modules/@nestjs/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testMatch: ['<rootDir>/test/system/**/*.system-spec.ts'],
  globalSetup: '<rootDir>/test/system/global-setup.ts',
  // One fleet at a time: the hosts' addresses and ports are fixed.
  maxWorkers: 1,
  testTimeout: 120_000,
  slowTestThreshold: 60,
};
