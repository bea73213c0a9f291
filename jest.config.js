const TEXT_EXTENSIONS = Object.keys(require('./scripts/text-loader.json')).map((e) => e.slice(1));

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` (npm test runs it first); jest only transpiles.
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // playbooks and templates imported as text, as esbuild's text loader does in the build
    [`^.+\\.(${TEXT_EXTENSIONS.join('|')})$`]: '<rootDir>/scripts/jest-text-transform.cjs',
  },
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
