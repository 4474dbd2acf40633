// What every jest config of the repository shares: ts-jest with the repository's tsconfig and
// path aliases, and NestJS 12's ES modules compiled to CommonJS for Jest.
const { join } = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const rootDir = join(__dirname, '..', '..');
const { compilerOptions } = require(join(rootDir, 'tsconfig.json'));

module.exports = {
  rootDir,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: join(rootDir, 'tsconfig.json') }],
    '/node_modules/@nestjs/.+\\.js$': '<rootDir>/test/support/esm-to-cjs.transformer.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
};
