// One Jest run for every workspace. Projects:
//   unit        — colocated *.spec.ts files, no engines;
//   integration — tests/src/**/*.test.ts against real engines (embedded PostgreSQL started
//                 once per run by the global setup, or TEST_DATABASE_URL when set).
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];

const common = {
  transform: { '^.+\\.(t|j)sx?$': swc },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  reporters: ['default', '<rootDir>/tests/src/support/summary-reporter.js'],
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{shared,prisma,etl,backend,frontend,tests}/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/tests/src/**/*.test.ts'],
      globalSetup: '<rootDir>/tests/src/support/global-setup.ts',
      globalTeardown: '<rootDir>/tests/src/support/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/tests/src/support/timeout.ts'],
    },
  ],
};
