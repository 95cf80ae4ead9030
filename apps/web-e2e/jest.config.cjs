/**
 * Browser tests of the built app (dist/apps/web served by dist/apps/api): every spec file starts a
 * real server on a fresh DATA_DIR and drives the Debian Chromium through playwright-core.
 * `nx test web-e2e` builds api and web first (project.json dependsOn).
 */
module.exports = {
  displayName: 'web-e2e',
  preset: '../../jest.preset.js',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js'],
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  testTimeout: 120_000,
  setupFilesAfterEnv: ['<rootDir>/src/support/retry.ts'],
  // Each file runs its own server and browser; two at a time suits a 2-core machine.
  maxWorkers: 2,
};
