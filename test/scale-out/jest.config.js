// Scale-out suite: the built collector as separate scheduler and worker processes, sharing
// scan jobs through BullMQ on Redis (127.0.0.1:6379) and results in PostgreSQL
// (127.0.0.1:5432, database test). Needs `npm run build` first; fails, saying what is missing,
// when a service is not there. Run: npm run test:scale-out
const { join } = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const rootDir = join(__dirname, '..', '..');
const { compilerOptions } = require(join(rootDir, 'tsconfig.json'));

module.exports = {
  rootDir,
  displayName: 'scale-out',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: join(rootDir, 'tsconfig.json') }],
    // The spec reads the database through libs/persistence, whose module file imports Nest (ESM only).
    '/node_modules/@nestjs/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testMatch: ['<rootDir>/test/scale-out/**/*.scale-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
