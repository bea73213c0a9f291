const TEXT_EXTENSIONS = Object.keys(require('./scripts/text-loader.json')).map((e) => e.slice(1));

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is `tsc --noEmit` (npm test runs it beside jest); jest only transpiles, with esbuild
  transform: {
    '^.+\\.ts$': '<rootDir>/scripts/jest-esbuild-transform.cjs',
    // playbooks and templates imported as text, as esbuild's text loader does in the build
    [`^.+\\.(${TEXT_EXTENSIONS.join('|')})$`]: '<rootDir>/scripts/jest-text-transform.cjs',
  },
  // the bundle's shims of cdktf (scripts/shims.cjs) in place, so the tests run what synth ships
  resolver: '<rootDir>/scripts/jest-resolver.cjs',
  testTimeout: 60000,
  // the machines here have 2 cores: a worker each (jest's default, cores - 1, runs everything in one)
  maxWorkers: 2,
  // the files that start processes first, so the long ones do not end up together at the end
  testSequencer: '<rootDir>/test/support/sequencer.js',
  // a folder for the rendered dists the test files share (test/support/rendered.ts)
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
