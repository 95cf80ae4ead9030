/**
 * End-to-end tests of the built API (dist/apps/api): every spec spawns real server processes on
 * fresh DATA_DIRs. `nx test api-e2e` builds the api first (project.json dependsOn api:build).
 */
module.exports = {
  displayName: 'api-e2e',
  preset: '../../jest.preset.js',
  // Records failing tests so the harness can print the servers' log tails (src/support).
  testEnvironment: '<rootDir>/src/support/e2e-environment.ts',
  testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleFileExtensions: ['ts', 'js', 'html'],
  testMatch: ['<rootDir>/src/**/*.e2e.spec.ts'],
  testTimeout: 120_000,
  // Each file starts its own servers; two files at a time keeps a 2-core machine busy, not drowned.
  maxWorkers: 2,
  verbose: true,
  coverageDirectory: '../../coverage/apps/api-e2e',
};
