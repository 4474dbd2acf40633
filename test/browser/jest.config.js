// Browser suite: the web view in headless Debian chromium (driven by playwright-core, never a
// downloaded browser) against the real collector and lab SSH hosts. The global setup fails the
// run, loudly, when /usr/bin/chromium is missing.
// Run: npm run test:browser
const common = require('../support/jest-common');

module.exports = {
  ...common,
  displayName: 'browser',
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  globalSetup: '<rootDir>/test/browser/global-setup.ts',
  maxWorkers: 1,
  testTimeout: 60_000,
};
