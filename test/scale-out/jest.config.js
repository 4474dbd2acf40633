// Scale-out suite: the built collector as separate scheduler and worker processes, sharing
// scan jobs through BullMQ on Redis (127.0.0.1:6379) and results in PostgreSQL
// (127.0.0.1:5432, database test). Needs `npm run build` first; fails, saying what is missing,
// when a service is not there. Run: npm run test:scale-out
const common = require('../support/jest-common');

module.exports = {
  ...common,
  displayName: 'scale-out',
  testMatch: ['<rootDir>/test/scale-out/**/*.scale-spec.ts'],
  maxWorkers: 1,
  testTimeout: 120_000,
};
